using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_affine</c>: with probability <c>prob</c>, resamples every volume through a random rotation and scaling
/// about the volume centre, in voxel coordinates as MONAI's <c>RandAffine</c> does: result voxel v reads source voxel
/// <c>c + R·S·(v − c)</c> with c the centre, S = diag(1 + s) and R = R_i(θ_i)·R_j(θ_j)·R_k(θ_k), R_a turning the
/// plane of the two other axes. The shape is kept; images are interpolated trilinearly, labels with nearest
/// neighbour, and points outside read the reflected volume (by default). Each volume's affine becomes
/// <c>A · (voxel map)</c>, so voxels keep their world meaning; a <see cref="ResampleOperation"/> is recorded and
/// inverted with zero padding (source voxels the rotated grid did not cover come back as 0).
/// </summary>
public sealed class RandAffineTransform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_affine";

    private readonly RandAffineOptions _options;
    private readonly double[] _rotateRange;
    private readonly double[] _scaleRange;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandAffineTransform(RandAffineOptions options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
        _rotateRange = TransformOptionChecks.ThreeAxes(options.RotateRange);
        _scaleRange = TransformOptionChecks.ThreeAxes(options.ScaleRange);
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        if (!random.Chance(_options.Prob)) return;
        var angles = _rotateRange.Select(range => random.Uniform(-range, range)).ToArray();
        var scales = _scaleRange.Select(range => 1 + random.Uniform(-range, range)).ToArray();

        var source = sample.ReferenceGrid(Name);
        var voxelMap = VoxelMap(source.Shape, angles, scales);
        foreach (var key in sample.Keys)
        {
            var volume = sample[key];
            var interpolation = sample.RoleOf(key) == VolumeRole.Label ? _options.LabelInterpolation : _options.ImageInterpolation;
            var data = Resampler.SampleVoxels(volume.Data, source.Shape, voxelMap, interpolation, _options.Padding);
            sample.Replace(key, new Volume(data, volume.Affine.Multiply(voxelMap), volume.SourceHeader));
        }
        sample.Record(new ResampleOperation(Name, source, sample.ReferenceGrid(Name), PaddingMode.Zeros));
    }

    /// <summary>Result voxel → source voxel: <c>T(c) · R · S · T(−c)</c> for a grid of shape <paramref name="shape"/>.</summary>
    public static AffineMatrix VoxelMap(IReadOnlyList<long> shape, IReadOnlyList<double> angles, IReadOnlyList<double> scales)
    {
        var centre = shape.Select(size => (size - 1) / 2.0).ToArray();
        var rotation = PlaneRotation(1, 2, angles[0]).Multiply(PlaneRotation(0, 2, angles[1])).Multiply(PlaneRotation(0, 1, angles[2]));
        var linear = rotation.Multiply(AffineMatrix.FromDiagonal(scales[0], scales[1], scales[2]));
        return AffineMatrix.FromDiagonal(1, 1, 1, centre[0], centre[1], centre[2])
            .Multiply(linear)
            .Multiply(AffineMatrix.FromDiagonal(1, 1, 1, -centre[0], -centre[1], -centre[2]));
    }

    // A rotation by angle in the plane of axes (first, second), from the first towards the second.
    private static AffineMatrix PlaneRotation(int first, int second, double angle)
    {
        var values = AffineMatrix.Identity.ToRowMajor();
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        values[first * 4 + first] = cos;
        values[first * 4 + second] = -sin;
        values[second * 4 + first] = sin;
        values[second * 4 + second] = cos;
        return new AffineMatrix(values);
    }
}
