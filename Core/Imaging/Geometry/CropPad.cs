using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// Cropping and padding in index space, without interpolation. Both are one operation: take the box of voxels
/// <c>[start, start + size)</c> along each axis, where parts of the box outside the volume are filled with a constant.
/// The result's affine is the source affine translated to the box's first voxel, <c>A · T(start)</c>, so every copied
/// voxel keeps its world position; the inverse of a box is the box <c>[−start, −start + source size)</c> of the result.
/// </summary>
public static class CropPad
{
    /// <summary>
    /// The box of <paramref name="volume"/> that starts at voxel <paramref name="start"/> (may be negative) and has
    /// <paramref name="size"/> voxels per axis; voxels of the box outside the volume hold <paramref name="fill"/>.
    /// The result owns a new tensor of the source dtype (not attached to any dispose scope) and keeps the header.
    /// </summary>
    /// <exception cref="ArgumentException">Not three starts and three sizes, or a size below 1.</exception>
    public static Volume Extract(Volume volume, IReadOnlyList<long> start, IReadOnlyList<long> size, double fill = 0)
    {
        if (start.Count != 3 || size.Count != 3 || size.Any(extent => extent < 1))
            throw new ArgumentException(
                $"a box needs three starts and three sizes of at least 1, got start [{string.Join(", ", start)}], size [{string.Join(", ", size)}]");

        using var scope = NewDisposeScope();
        var source = volume.SpatialShape;
        var result = full([volume.Channels, size[0], size[1], size[2]], fill, dtype: volume.Data.dtype);
        var from = new TensorIndex[4];
        var to = new TensorIndex[4];
        from[0] = to[0] = TensorIndex.Colon;
        var overlaps = true;
        for (var axis = 0; axis < 3; axis++)
        {
            var low = Math.Max(start[axis], 0);
            var high = Math.Min(start[axis] + size[axis], source[axis]);
            if (high <= low) { overlaps = false; break; }
            from[axis + 1] = TensorIndex.Slice(low, high);
            to[axis + 1] = TensorIndex.Slice(low - start[axis], high - start[axis]);
        }
        if (overlaps) result[to].copy_(volume.Data[from]);

        var affine = volume.Affine.Multiply(AffineMatrix.FromDiagonal(1, 1, 1, start[0], start[1], start[2]));
        return new Volume(result.DetachFromDisposeScope(), affine, volume.SourceHeader);
    }

    /// <summary>The box <c>[start, start + size)</c>, which must lie inside the volume.</summary>
    /// <exception cref="ArgumentException">The box reaches outside the volume.</exception>
    public static Volume Crop(Volume volume, IReadOnlyList<long> start, IReadOnlyList<long> size)
    {
        var shape = volume.SpatialShape;
        if (start.Count != 3 || size.Count != 3 || Enumerable.Range(0, 3).Any(axis => start[axis] < 0 || start[axis] + size[axis] > shape[axis]))
            throw new ArgumentException(
                $"crop box start [{string.Join(", ", start)}] size [{string.Join(", ", size)}] does not fit in a volume of shape [{string.Join(", ", shape)}]");
        return Extract(volume, start, size);
    }

    /// <summary>
    /// The volume with <paramref name="before"/> voxels added before and <paramref name="after"/> voxels after it
    /// along each axis, holding <paramref name="fill"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Not three values each, or a negative value.</exception>
    public static Volume Pad(Volume volume, IReadOnlyList<long> before, IReadOnlyList<long> after, double fill = 0)
    {
        if (before.Count != 3 || after.Count != 3 || before.Concat(after).Any(count => count < 0))
            throw new ArgumentException(
                $"padding needs three non-negative counts before and after, got [{string.Join(", ", before)}] and [{string.Join(", ", after)}]");
        var shape = volume.SpatialShape;
        return Extract(volume, before.Select(count => -count).ToArray(), Enumerable.Range(0, 3).Select(axis => shape[axis] + before[axis] + after[axis]).ToArray(), fill);
    }
}
