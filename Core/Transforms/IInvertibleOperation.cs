using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// The record a geometric transform leaves on a sample: which grid it started from, which grid it produced, and how
/// to take a volume on the produced grid back to the starting grid.
/// </summary>
public interface IInvertibleOperation
{
    /// <summary>The transform that did it, e.g. <c>rand_affine</c>.</summary>
    string TransformName { get; }

    /// <summary>The sample's grid before the operation.</summary>
    VoxelGrid SourceGrid { get; }

    /// <summary>The sample's grid after the operation.</summary>
    VoxelGrid ResultGrid { get; }

    /// <summary>
    /// A new volume on <see cref="SourceGrid"/> (its shape and exactly its affine) holding <paramref name="volume"/>,
    /// which lies on <see cref="ResultGrid"/>; <paramref name="volume"/> is not disposed.
    /// </summary>
    /// <param name="volume">A volume with <see cref="ResultGrid"/>'s spatial shape (any channels and dtype).</param>
    /// <param name="interpolation">Used where the inverse must interpolate: nearest for labels, trilinear otherwise.</param>
    /// <exception cref="ArgumentException">The volume's spatial shape is not the result grid's.</exception>
    Volume Invert(Volume volume, Interpolation interpolation);
}
