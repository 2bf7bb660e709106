namespace Pipeline.Core.Imaging.Geometry;

/// <summary>How values between voxel centres are read when a volume is resampled.</summary>
public enum Interpolation
{
    /// <summary>The value of the nearest voxel: for label maps, which must keep their exact set of values.</summary>
    Nearest,

    /// <summary>Trilinear interpolation of the eight surrounding voxels: for images and probabilities.</summary>
    Trilinear,
}
