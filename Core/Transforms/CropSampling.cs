using Pipeline.Core.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>The pieces the cropping transforms share: masks of candidate centres, centring a box, cropping all volumes.</summary>
internal static class CropSampling
{
    /// <summary>The volume named <paramref name="key"/>, or an error naming the transform, option and sample.</summary>
    public static Imaging.Volume Volume(TransformSample sample, string key, string optionKey, string transformName) =>
        sample.Contains(key)
            ? sample[key]
            : throw new KeyNotFoundException(
                $"transform '{transformName}': sample '{sample.Id}' has no volume named '{key}' ({optionKey}); it has: {string.Join(", ", sample.Keys)}");

    /// <summary>
    /// Voxels (bool <c>[I, J, K]</c>) where the image named <paramref name="imageKey"/> exceeds
    /// <paramref name="threshold"/> in any channel, or null when no image key is set (every voxel is a candidate).
    /// </summary>
    public static Tensor? ValidMask(TransformSample sample, string? imageKey, double threshold, string transformName) =>
        imageKey is null ? null : Volume(sample, imageKey, "image_key", transformName).Data.gt(threshold).any(0);

    /// <summary>Flat (row-major) indices of the true voxels of a bool <c>[I, J, K]</c> mask, int64 <c>[N]</c>.</summary>
    public static Tensor FlatIndices(Tensor mask) => mask.flatten().nonzero().flatten();

    /// <summary>
    /// The start of a box of <paramref name="size"/> centred on flat voxel index <paramref name="flatIndex"/> (the
    /// centre is voxel size/2 of the box, as MONAI), shifted as little as needed to fit inside <paramref name="shape"/>.
    /// </summary>
    public static long[] StartAround(long flatIndex, IReadOnlyList<long> shape, IReadOnlyList<long> size)
    {
        long[] centre = [flatIndex / (shape[1] * shape[2]), flatIndex / shape[2] % shape[1], flatIndex % shape[2]];
        return Enumerable.Range(0, 3).Select(axis => Math.Clamp(centre[axis] - size[axis] / 2, 0, shape[axis] - size[axis])).ToArray();
    }

    /// <summary>Throws unless a box of <paramref name="size"/> fits in every axis of the sample's shared shape.</summary>
    public static long[] RequireFits(TransformSample sample, IReadOnlyList<long> size, string transformName)
    {
        var shape = sample.SharedSpatialShape(transformName);
        if (Enumerable.Range(0, 3).Any(axis => shape[axis] < size[axis]))
            throw new InvalidOperationException(
                $"transform '{transformName}': sample '{sample.Id}' of spatial shape [{string.Join(", ", shape)}] is smaller " +
                $"than spatial_size [{string.Join(", ", size)}]; pad it first (spatial_pad) or choose a smaller spatial_size");
        return shape;
    }

    /// <summary>A new sample holding the box <c>[start, start + size)</c> of every volume, with a <see cref="RegionOperation"/> recorded.</summary>
    public static TransformSample Crop(TransformSample sample, IReadOnlyList<long> start, IReadOnlyList<long> size, string transformName)
    {
        var source = sample.ReferenceGrid(transformName);
        var result = new VoxelGrid(size, source.Affine.Multiply(Imaging.AffineMatrix.FromDiagonal(1, 1, 1, start[0], start[1], start[2])));
        return sample.Derive((volume, _) => CropPad.Extract(volume, start, size), new RegionOperation(transformName, start, source, result));
    }
}
