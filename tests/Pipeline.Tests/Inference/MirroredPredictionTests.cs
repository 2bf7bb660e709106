using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class MirroredPredictionTests
{
    [Fact]
    public void FlipsAreNoneThenEverySubsetInNnUNetsOrder()
    {
        var flips = MirroredPrediction.Flips([0, 1, 2]).Select(f => string.Join(",", f)).ToArray();
        Assert.Equal(new[] { "", "0", "1", "2", "0,1", "0,2", "1,2", "0,1,2" }, flips);
        Assert.Equal(new[] { "", "2", "0", "2,0" }, MirroredPrediction.Flips([2, 0]).Select(f => string.Join(",", f)).ToArray());
    }

    [Fact]
    public void AFlipEquivariantNetworkPredictsTheSameWithAndWithoutAugmentation()
    {
        using var scope = NewDisposeScope();
        using var conv = ToyNetworks.FlipSymmetricConvolution(2, 3, seed: 21);
        var image = randn([1, 2, 10, 9, 11], generator: new Generator(22));
        foreach (var mode in new[] { BlendMode.Constant, BlendMode.Gaussian })
        {
            var options = new SlidingWindowOptions { RoiSize = [6, 5, 7], Overlap = 0.5, WindowBatchSize = 2, Blend = mode };
            var plain = new SlidingWindowInference(options).Predict(conv.call, image);
            var mirrored = new SlidingWindowInference(options with { MirrorAxes = [0, 1, 2] }).Predict(conv.call, image);
            Assert.True(mirrored.allclose(plain, rtol: 1e-5, atol: 1e-5), mode.ToString());
        }
    }

    [Fact]
    public void OneWindowOverTheVolumeAveragesTheLogitsOfAllEightFlips()
    {
        using var scope = NewDisposeScope();
        var image = randn([1, 1, 6, 5, 4], generator: new Generator(23));
        var expected = zeros([1, 3, 6, 5, 4]);
        foreach (var axes in new long[][] { [], [2], [3], [4], [2, 3], [2, 4], [3, 4], [2, 3, 4] })
            expected.add_(axes.Length == 0 ? ToyNetworks.PositionDependent(image) : ToyNetworks.PositionDependent(image.flip(axes)).flip(axes));
        expected.div_(8);

        var options = new SlidingWindowOptions { RoiSize = [6, 5, 4], Blend = BlendMode.Gaussian, MirrorAxes = [0, 1, 2] };
        var mirrored = new SlidingWindowInference(options).Predict(ToyNetworks.PositionDependent, image);
        Assert.True(mirrored.allclose(expected, rtol: 1e-5, atol: 1e-5));
        // The toy network is not flip-equivariant, so the augmentation does change the result.
        Assert.False(mirrored.allclose(ToyNetworks.PositionDependent(image), rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void OverlappingWindowsBlendTheAveragedLogitsOfEachWindow()
    {
        using var scope = NewDisposeScope();
        var image = randn([1, 1, 9, 7, 8], generator: new Generator(24));
        // Flips of axes 0 and 2 only: 4 passes per window, averaged before blending.
        Tensor Averaged(Tensor x)
        {
            var sum = ToyNetworks.PositionDependent(x);
            foreach (var axes in new long[][] { [2], [4], [2, 4] })
                sum = sum + ToyNetworks.PositionDependent(x.flip(axes)).flip(axes);
            return sum / 4;
        }
        var options = new SlidingWindowOptions { RoiSize = [5, 4, 6], Overlap = 0.5, WindowBatchSize = 3, Blend = BlendMode.Gaussian, MirrorAxes = [0, 2] };
        var mirrored = new SlidingWindowInference(options).Predict(ToyNetworks.PositionDependent, image);
        var reference = MonaiSlidingWindowReference.Predict(Averaged, image, [5, 4, 6], 0.5, BlendMode.Gaussian);
        Assert.True(mirrored.allclose(reference, rtol: 2e-5, atol: 2e-5));
    }

    [Fact]
    public void ANetworkReturningItsInputIsNotCorruptedBySumming()
    {
        using var scope = NewDisposeScope();
        var windows = randn([2, 1, 3, 4, 5], generator: new Generator(25));
        var copy = windows.clone();
        var averaged = MirroredPrediction.Wrap(x => x, [0, 1])(windows);
        Assert.True(Exactly.Equal(copy, windows));
        var expected = (windows + windows + windows + windows) / 4; // identity is flip-equivariant
        Assert.True(averaged.allclose(expected, rtol: 1e-6, atol: 1e-6));
    }
}
