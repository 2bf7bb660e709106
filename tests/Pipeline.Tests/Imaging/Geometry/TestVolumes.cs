using Pipeline.Core.Imaging;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Geometry;

/// <summary>Small synthetic volumes and measurements shared by the geometry and transform tests.</summary>
public static class TestVolumes
{
    /// <summary>An oblique affine: 1.5 × 2 × 2.5 mm voxels, axes turned by 0.3 rad about z, origin (−20, 12, 7).</summary>
    public static AffineMatrix Oblique { get; } = new([
        1.5 * Math.Cos(0.3), -2 * Math.Sin(0.3), 0, -20,
        1.5 * Math.Sin(0.3), 2 * Math.Cos(0.3), 0, 12,
        0, 0, 2.5, 7,
        0, 0, 0, 1]);

    /// <summary>
    /// A float32 volume whose voxels hold 0, 1, 2, … in row-major order (every value unique), so where each voxel
    /// went can be read from its value.
    /// </summary>
    public static Volume Counting(long[] shape, AffineMatrix affine, long channels = 1) =>
        new(arange(channels * shape[0] * shape[1] * shape[2], dtype: ScalarType.Float32)
            .reshape(channels, shape[0], shape[1], shape[2]).DetachFromDisposeScope(), affine);

    /// <summary>A float32 Gaussian blob exp(−|v − centre|² / (2σ²)) in voxel coordinates, one channel.</summary>
    public static Volume Blob(long[] shape, double[] centre, double sigma, AffineMatrix affine)
    {
        using var scope = NewDisposeScope();
        var squared = SquaredDistance(shape, centre);
        var blob = exp(squared / (-2 * sigma * sigma)).to_type(ScalarType.Float32).unsqueeze(0);
        return new Volume(blob.DetachFromDisposeScope(), affine);
    }

    /// <summary>An int64 label map holding <paramref name="value"/> inside the ball of <paramref name="radius"/> voxels around <paramref name="centre"/>, 0 elsewhere.</summary>
    public static Volume Ball(long[] shape, double[] centre, double radius, AffineMatrix affine, long value = 1)
    {
        using var scope = NewDisposeScope();
        var inside = SquaredDistance(shape, centre).le(radius * radius);
        var label = inside.to_type(ScalarType.Int64).mul(value).unsqueeze(0);
        return new Volume(label.DetachFromDisposeScope(), affine);
    }

    /// <summary>The intensity-weighted centre of the first channel, in voxel coordinates (i, j, k).</summary>
    public static double[] CentreOfMass(Volume volume)
    {
        using var scope = NewDisposeScope();
        var weights = volume.Data[0].to_type(ScalarType.Float64);
        var total = weights.sum().item<double>();
        var centre = new double[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var shape = new long[] { 1, 1, 1 };
            shape[axis] = -1;
            var index = arange(volume.Data.shape[axis + 1], dtype: ScalarType.Float64).view(shape);
            centre[axis] = (weights * index).sum().item<double>() / total;
        }
        return centre;
    }

    /// <summary>The centre of mass in world millimetres.</summary>
    public static double[] WorldCentreOfMass(Volume volume)
    {
        var centre = CentreOfMass(volume);
        return volume.Affine.Apply(centre[0], centre[1], centre[2]);
    }

    /// <summary>Euclidean distance of two 3-vectors.</summary>
    public static double Distance(double[] a, double[] b) =>
        Math.Sqrt(Enumerable.Range(0, 3).Sum(axis => (a[axis] - b[axis]) * (a[axis] - b[axis])));

    /// <summary>The data of the volume as doubles, row-major over [C, I, J, K].</summary>
    public static double[] Values(Volume volume)
    {
        using var scope = NewDisposeScope();
        return volume.Data.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>True when both tensors have the same shape, dtype and values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }

    /// <summary>
    /// Asserts that every voxel of <paramref name="result"/> sits, through its affine, exactly on a voxel centre of
    /// <paramref name="source"/> and holds that voxel's value: the check that a flip, turn, reorientation, crop or
    /// pad moved voxels without moving them in the world. Result voxels outside the source must hold
    /// <paramref name="fill"/>.
    /// </summary>
    public static void AssertWorldConsistent(Volume source, Volume result, double fill = 0)
    {
        var toSource = source.Affine.Inverse().Multiply(result.Affine);
        var sourceShape = source.SpatialShape;
        var resultShape = result.SpatialShape;
        Assert.Equal(source.Channels, result.Channels);
        var sourceValues = Values(source);
        var resultValues = Values(result);
        var sourceVoxels = sourceShape[0] * sourceShape[1] * sourceShape[2];
        var resultVoxels = resultShape[0] * resultShape[1] * resultShape[2];
        for (long i = 0; i < resultShape[0]; i++)
        for (long j = 0; j < resultShape[1]; j++)
        for (long k = 0; k < resultShape[2]; k++)
        {
            var at = toSource.Apply(i, j, k);
            var voxel = at.Select(value => Math.Round(value)).ToArray();
            for (var axis = 0; axis < 3; axis++)
                Assert.True(Math.Abs(at[axis] - voxel[axis]) < 1e-6, $"result voxel ({i}, {j}, {k}) maps to source ({string.Join(", ", at)}), not a voxel centre");
            var inside = Enumerable.Range(0, 3).All(axis => voxel[axis] >= 0 && voxel[axis] < sourceShape[axis]);
            for (long c = 0; c < source.Channels; c++)
            {
                var actual = resultValues[c * resultVoxels + (i * resultShape[1] + j) * resultShape[2] + k];
                var expected = inside
                    ? sourceValues[c * sourceVoxels + ((long)voxel[0] * sourceShape[1] + (long)voxel[1]) * sourceShape[2] + (long)voxel[2]]
                    : fill;
                Assert.True(expected == actual, $"result voxel ({i}, {j}, {k}) channel {c} holds {actual}, source voxel ({string.Join(", ", voxel)}) holds {expected}");
            }
        }
    }

    private static Tensor SquaredDistance(long[] shape, double[] centre)
    {
        var i = arange(shape[0], dtype: ScalarType.Float64).view(-1, 1, 1) - centre[0];
        var j = arange(shape[1], dtype: ScalarType.Float64).view(1, -1, 1) - centre[1];
        var k = arange(shape[2], dtype: ScalarType.Float64).view(1, 1, -1) - centre[2];
        return i * i + j * j + k * k;
    }
}
