using Pipeline.Core.Inference;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class ImportanceMapTests
{
    [Theory]
    [InlineData(5, 6, 7, 0.125)]
    [InlineData(4, 4, 4, 0.125)]
    [InlineData(9, 2, 16, 0.3)]
    [InlineData(96, 96, 96, 0.125)]
    public void GaussianMapIsTheClampedProductOfOneDimensionalGaussians(int d, int h, int w, double sigmaScale)
    {
        using var scope = NewDisposeScope();
        int[] roi = [d, h, w];
        var map = ImportanceMap.Compute([d, h, w], BlendMode.Gaussian, sigmaScale);
        Assert.Equal(ScalarType.Float32, map.dtype);
        Assert.Equal(new long[] { d, h, w }, map.shape);

        var expected = MonaiSlidingWindowReference.Importance(roi, BlendMode.Gaussian, sigmaScale);
        var values = map.data<float>().ToArray();
        int index = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < h; j++)
                for (int k = 0; k < w; k++, index++)
                    Assert.True(Math.Abs(values[index] - expected[i, j, k]) <= 1e-6 * Math.Max(1, expected[i, j, k]),
                        $"[{i},{j},{k}]: {values[index]} vs {expected[i, j, k]}");
    }

    [Fact]
    public void GaussianValuesAtTheCentreAndCorner()
    {
        using var scope = NewDisposeScope();
        // Odd size: the centre voxel is exactly on the Gaussian's peak.
        var odd = ImportanceMap.Compute([5, 5, 5], BlendMode.Gaussian);
        Assert.Equal(1f, odd[2, 2, 2].item<float>());
        // σ = 5/8: the corner (x = ±2 per axis) is exp(−3 · 4 / (2 · 0.390625)) ≈ 2e-7, clamped up to 0.001.
        Assert.Equal(1e-3f, odd[0, 0, 0].item<float>());
        // One step from the centre along one axis: exp(−1 / (2 · 0.390625)).
        Assert.Equal(Math.Exp(-1 / 0.78125), odd[2, 3, 2].item<float>(), 6);
        // Even size: the centre lies between voxels, so the peak is exp(−0.25 / (2σ²)) per axis (MONAI does not rescale).
        var even = ImportanceMap.Compute([4, 4, 4], BlendMode.Gaussian);
        Assert.Equal(Math.Pow(Math.Exp(-0.25 / (2 * 0.25)), 3), even.max().item<float>(), 6);
        // A wide Gaussian never drops below 0.001, so nothing is clamped: the minimum is the corner value itself.
        var wide = ImportanceMap.Compute([3, 3, 3], BlendMode.Gaussian, sigmaScale: 1.0);
        Assert.Equal(Math.Pow(Math.Exp(-1 / 18.0), 3), wide.min().item<float>(), 6);
    }

    [Fact]
    public void ConstantMapIsOnesAndBadArgumentsAreRejected()
    {
        using var scope = NewDisposeScope();
        var map = ImportanceMap.Compute([3, 4, 5], BlendMode.Constant);
        Assert.True(Exactly.Equal(ones(3, 4, 5), map));
        Assert.Throws<ArgumentException>(() => ImportanceMap.Compute([3, 0, 5], BlendMode.Gaussian));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImportanceMap.Compute([3, 3, 3], BlendMode.Gaussian, sigmaScale: 0));
    }
}
