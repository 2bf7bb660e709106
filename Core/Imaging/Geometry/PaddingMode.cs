namespace Pipeline.Core.Imaging.Geometry;

/// <summary>What resampling reads at points outside the source volume (torch's <c>grid_sample</c> padding modes).</summary>
public enum PaddingMode
{
    /// <summary>Zero.</summary>
    Zeros,

    /// <summary>The value at the nearest edge of the volume.</summary>
    Border,

    /// <summary>The volume mirrored at its outer voxel faces.</summary>
    Reflection,
}
