namespace Pipeline.Core.Imaging.Geometry;

/// <summary>What <see cref="VolumePairCheck"/> does when an image and its label map are not on the same grid.</summary>
public enum PairMismatchPolicy
{
    /// <summary>Throw a <see cref="VolumePairMismatchException"/> naming the case and both grids.</summary>
    Error,

    /// <summary>
    /// Resample the label map onto the image grid with nearest-neighbour interpolation (zeros outside the label's
    /// field of view), and log a warning that names the case and both grids.
    /// </summary>
    ResampleLabel,
}
