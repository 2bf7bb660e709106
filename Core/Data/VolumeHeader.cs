using Pipeline.Core.Imaging;

namespace Pipeline.Core.Data;

/// <summary>What a file's header says about its volume, read without the voxel data.</summary>
/// <param name="Shape">All dimensions in file index order (i, j, k[, t, ...]).</param>
/// <param name="Affine">The voxel-to-world affine the reader chose (for NIfTI: nibabel's rule).</param>
/// <param name="DataType">The stored element type, e.g. <c>int16</c>, for messages.</param>
public sealed record VolumeHeader(long[] Shape, AffineMatrix Affine, string DataType)
{
    /// <summary>The three spatial dimensions.</summary>
    public long[] SpatialShape => Shape.Take(3).Concat(Enumerable.Repeat(1L, Math.Max(0, 3 - Shape.Length))).ToArray();

    /// <summary>Number of channels the file holds: the product of the dimensions after the third (1 for 3-D).</summary>
    public long Channels => Shape.Skip(3).Aggregate(1L, (a, b) => a * b);
}
