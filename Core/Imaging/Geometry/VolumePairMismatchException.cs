namespace Pipeline.Core.Imaging.Geometry;

/// <summary>An image and its label map are not on the same voxel grid (shape or affine).</summary>
public sealed class VolumePairMismatchException : Exception
{
    /// <param name="caseId">The case whose volumes differ.</param>
    /// <param name="image">The image grid.</param>
    /// <param name="label">The label grid.</param>
    /// <param name="message">The full message (names the case and both grids).</param>
    public VolumePairMismatchException(string caseId, VoxelGrid image, VoxelGrid label, string message) : base(message)
    {
        CaseId = caseId;
        ImageGrid = image;
        LabelGrid = label;
    }

    /// <summary>The case whose volumes differ.</summary>
    public string CaseId { get; }

    /// <summary>The image's shape and affine.</summary>
    public VoxelGrid ImageGrid { get; }

    /// <summary>The label map's shape and affine.</summary>
    public VoxelGrid LabelGrid { get; }
}
