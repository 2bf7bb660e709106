using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// Resamples volumes through their affines: onto a new voxel spacing, or onto any target grid (shape + affine),
/// which is how a label map is brought onto an image's grid. Every result voxel takes the value of the source at the
/// same world point, read with <see cref="Interpolation.Trilinear"/> (images) or <see cref="Interpolation.Nearest"/>
/// (labels: integer dtypes come back in their dtype with only values the source had, plus 0 where
/// <see cref="PaddingMode.Zeros"/> pads). The work is torch's <c>grid_sample</c> with <c>align_corners=false</c>,
/// whose coordinates here are voxel centres, done in slabs so the sampling grid stays small.
/// </summary>
public static class Resampler
{
    // Sampling points per grid_sample call: 4 Mi points is a 48 MiB float32 grid.
    private const long MaxGridPoints = 1L << 22;

    // float32 holds every integer up to 2^24 exactly; larger label values are resampled in float64.
    private const double ExactFloat32Integers = 1 << 24;

    /// <summary>
    /// The grid with voxel size <paramref name="spacing"/> that covers <paramref name="source"/> the way MONAI's
    /// <c>Spacing</c> does with its defaults: the direction of each index axis is kept, the centre of voxel
    /// (0, 0, 0) stays at the same world point, and along each axis the new size is
    /// <c>round((n − 1) · old / new) + 1</c> (round half to even, as numpy), i.e. the distance between the first
    /// and the last voxel centre divided by the new spacing, plus one. For example 32 voxels of 1 mm become 17 voxels
    /// of 2 mm (centres 0, 2, …, 32 mm: the last one half a new voxel past the old last centre).
    /// </summary>
    /// <param name="source">The grid to cover.</param>
    /// <param name="spacing">New voxel size along i, j, k in millimetres, each &gt; 0.</param>
    /// <exception cref="ArgumentException">Not three positive finite sizes, or a source axis of size zero.</exception>
    public static VoxelGrid SpacingGrid(VoxelGrid source, IReadOnlyList<double> spacing)
    {
        if (spacing.Count != 3 || spacing.Any(size => !double.IsFinite(size) || size <= 0))
            throw new ArgumentException($"a spacing needs three positive sizes in mm, got [{string.Join(", ", spacing)}]", nameof(spacing));
        var oldSpacing = source.Spacing;
        if (oldSpacing.Any(size => size == 0))
            throw new ArgumentException($"the source grid has a zero voxel size: {source.Affine}", nameof(source));

        var shape = new long[3];
        var values = source.Affine.ToRowMajor();
        for (var axis = 0; axis < 3; axis++)
        {
            var ratio = oldSpacing[axis] / spacing[axis];
            shape[axis] = Math.Max(1, (long)Math.Round((source.Shape[axis] - 1) * ratio, MidpointRounding.ToEven) + 1);
            // Scale the column: same direction cosines, new length; the translation (voxel 0's centre) stays.
            for (var row = 0; row < 3; row++) values[row * 4 + axis] /= ratio;
        }
        return new VoxelGrid(shape, new AffineMatrix(values));
    }

    /// <summary>
    /// <paramref name="volume"/> resampled to voxel size <paramref name="spacing"/> on the grid of
    /// <see cref="SpacingGrid"/>. The result owns a new tensor of the source dtype; the source header is kept.
    /// </summary>
    /// <param name="volume">The volume (not modified).</param>
    /// <param name="spacing">New voxel size along i, j, k in millimetres.</param>
    /// <param name="interpolation">Trilinear for images, nearest for labels.</param>
    /// <param name="padding">What points beyond the source's outer voxel centres read; MONAI's default is border.</param>
    public static Volume ToSpacing(Volume volume, IReadOnlyList<double> spacing, Interpolation interpolation, PaddingMode padding = PaddingMode.Border) =>
        ToGrid(volume, SpacingGrid(VoxelGrid.Of(volume), spacing), interpolation, padding);

    /// <summary>
    /// <paramref name="volume"/> resampled onto <paramref name="target"/>: result voxel v takes the source value at
    /// world point <c>target.Affine · v</c>. The result has the target's shape and affine, the source's channels,
    /// dtype and header, and owns a new tensor (not attached to any dispose scope).
    /// </summary>
    /// <param name="volume">The volume (not modified).</param>
    /// <param name="target">The grid to sample on, e.g. <see cref="VoxelGrid.Of"/> an image for its label map.</param>
    /// <param name="interpolation">Trilinear for images, nearest for labels.</param>
    /// <param name="padding">What points outside the source read.</param>
    public static Volume ToGrid(Volume volume, VoxelGrid target, Interpolation interpolation, PaddingMode padding)
    {
        var targetToSource = volume.Affine.Inverse().Multiply(target.Affine);
        var data = SampleVoxels(volume.Data, target.Shape, targetToSource, interpolation, padding);
        return new Volume(data, target.Affine, volume.SourceHeader);
    }

    /// <summary>
    /// Samples <paramref name="data"/> (<c>[C, I, J, K]</c>) at the source voxel coordinates
    /// <c>targetToSourceVoxels · v</c> for every voxel v of a grid of shape <paramref name="shape"/>. Returns a new
    /// contiguous <c>[C, I', J', K']</c> tensor of the source dtype, not attached to any dispose scope.
    /// </summary>
    /// <param name="data">Source tensor, any dtype (integers are sampled as floats and rounded back).</param>
    /// <param name="shape">Result spatial shape.</param>
    /// <param name="targetToSourceVoxels">Result voxel index → source voxel index (fractional).</param>
    /// <param name="interpolation">Trilinear or nearest.</param>
    /// <param name="padding">What points outside the source read.</param>
    public static Tensor SampleVoxels(
        Tensor data, IReadOnlyList<long> shape, AffineMatrix targetToSourceVoxels, Interpolation interpolation, PaddingMode padding)
    {
        if (data.dim() != 4)
            throw new ArgumentException($"expected a [C, I, J, K] tensor, got shape [{string.Join(", ", data.shape)}]", nameof(data));
        if (shape.Count != 3 || shape.Any(size => size < 1))
            throw new ArgumentException($"the result shape needs three sizes of at least 1, got [{string.Join(", ", shape)}]", nameof(shape));

        using var scope = NewDisposeScope();
        var sourceType = data.dtype;
        var workType = WorkingType(data);
        var input = data.to_type(workType).unsqueeze(0);
        long[] sourceShape = [data.shape[1], data.shape[2], data.shape[3]];
        var mode = interpolation == Interpolation.Nearest ? GridSampleMode.Nearest : GridSampleMode.Bilinear;
        var paddingMode = padding switch
        {
            PaddingMode.Zeros => GridSamplePaddingMode.Zeros,
            PaddingMode.Border => GridSamplePaddingMode.Border,
            _ => GridSamplePaddingMode.Reflection,
        };

        var slab = Math.Max(1, MaxGridPoints / (shape[1] * shape[2]));
        var parts = new List<Tensor>();
        for (long start = 0; start < shape[0]; start += slab)
        {
            var count = Math.Min(slab, shape[0] - start);
            var grid = SamplingGrid(start, count, shape, targetToSourceVoxels, sourceShape, workType);
            parts.Add(nn.functional.grid_sample(input, grid, mode, paddingMode, align_corners: false));
        }
        var result = (parts.Count == 1 ? parts[0] : cat(parts, 2)).squeeze(0);
        if (!ScalarTypes.IsFloating(sourceType)) result = result.round().to_type(sourceType);
        else if (result.dtype != sourceType) result = result.to_type(sourceType);
        return result.contiguous().DetachFromDisposeScope();
    }

    /// <summary>
    /// The <c>grid_sample</c> grid <c>[1, count, J', K', 3]</c> for result rows <paramref name="start"/> onwards:
    /// source voxel coordinates (computed in float64), normalised for <c>align_corners=false</c>
    /// (<c>(2v + 1) / n − 1</c>, so −1 and +1 are the outer voxel faces) and listed last axis first (x ↔ k).
    /// </summary>
    private static Tensor SamplingGrid(
        long start, long count, IReadOnlyList<long> shape, AffineMatrix map, long[] sourceShape, ScalarType workType)
    {
        var i = arange(start, start + count, dtype: ScalarType.Float64).view(-1, 1, 1);
        var j = arange(0, shape[1], dtype: ScalarType.Float64).view(1, -1, 1);
        var k = arange(0, shape[2], dtype: ScalarType.Float64).view(1, 1, -1);
        Tensor Normalised(int axis)
        {
            var coordinate = i * map[axis, 0] + j * map[axis, 1] + k * map[axis, 2] + map[axis, 3];
            return (coordinate * 2 + 1) / sourceShape[axis] - 1;
        }
        return stack([Normalised(2), Normalised(1), Normalised(0)], dim: -1).unsqueeze(0).to_type(workType);
    }

    /// <summary>float64 for float64 data and for integers too large for float32; float32 otherwise.</summary>
    private static ScalarType WorkingType(Tensor data)
    {
        if (data.dtype == ScalarType.Float64) return ScalarType.Float64;
        if (ScalarTypes.IsFloating(data.dtype) || data.dtype == ScalarType.Bool || data.numel() == 0) return ScalarType.Float32;
        using var largest = data.abs().max();
        return largest.to_type(ScalarType.Float64).item<double>() > ExactFloat32Integers ? ScalarType.Float64 : ScalarType.Float32;
    }
}
