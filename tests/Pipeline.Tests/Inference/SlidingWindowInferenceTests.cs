using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class SlidingWindowInferenceTests
{
    [Fact]
    public void WindowStartsStepByTheIntervalAndEndAtTheVolumeEnd()
    {
        Assert.Equal(new long[] { 0, 2, 4, 6 }, SlidingWindowInference.WindowStarts(10, 4, 0.5));
        Assert.Equal(new long[] { 0, 4, 6 }, SlidingWindowInference.WindowStarts(10, 4, 0.0));
        Assert.Equal(new long[] { 0 }, SlidingWindowInference.WindowStarts(4, 4, 0.25));
        // ⌊3 · 0.1⌋ = 0 would never advance: the interval is at least one voxel.
        Assert.Equal(new long[] { 0, 1, 2 }, SlidingWindowInference.WindowStarts(5, 3, 0.9));
    }

    [Fact]
    public void ARoiCoveringTheVolumeEqualsADirectForwardOfAZeroPaddedConvolution()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(4);
        using var conv = nn.Conv3d(1, 3, 3, padding: 1);
        using (no_grad())
            foreach (var parameter in conv.parameters())
                parameter.copy_(randn(parameter.shape, generator: generator));
        var image = randn([2, 1, 9, 10, 11], generator: generator);
        Tensor direct;
        using (no_grad()) direct = conv.call(image);

        var exact = new SlidingWindowInference([9, 10, 11], 0.25, 1).Predict(conv.call, image);
        Assert.True(exact.allclose(direct, rtol: 1e-5, atol: 1e-5));

        // A ROI larger than the volume pads with zeros, which is exactly what the convolution's own padding sees.
        var padded = new SlidingWindowInference([12, 16, 13], 0.5, 2).Predict(conv.call, image);
        Assert.Equal(direct.shape, padded.shape);
        Assert.True(padded.allclose(direct, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void OverlappingWindowsOfAPointwiseModelAverageBackToTheDirectOutput()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        using var pointwise = nn.Conv3d(2, 4, 1);
        var image = randn([2, 2, 13, 10, 7], generator: generator);
        Tensor direct;
        using (no_grad()) direct = pointwise.call(image);

        foreach (var (roi, overlap, batch) in new (int[], double, int)[] { ([6, 4, 5], 0.5, 3), ([5, 5, 5], 0.0, 1), ([16, 3, 9], 0.7, 4) })
        {
            var predicted = new SlidingWindowInference(roi, overlap, batch).Predict(pointwise.call, image);
            Assert.Equal(new long[] { 2, 4, 13, 10, 7 }, predicted.shape);
            Assert.True(predicted.allclose(direct, rtol: 1e-5, atol: 1e-5), $"roi [{string.Join(",", roi)}] overlap {overlap}");
        }
    }

    [Fact]
    public void WindowOutputsAreAveragedWhereTheyOverlap()
    {
        using var scope = NewDisposeScope();
        // Each call returns its own call number everywhere: windows 0 and 1 of a length-6 axis with ROI 4 overlap on
        // voxels 2..3, which therefore get (0 + 1) / 2.
        int calls = 0;
        Tensor Counter(Tensor x) => full(x.shape, (float)calls++);
        var predicted = new SlidingWindowInference([1, 1, 4], 0.5, 1).Predict(Counter, zeros([1, 1, 1, 1, 6]));
        Assert.Equal(new float[] { 0, 0, 0.5f, 0.5f, 1, 1 }, predicted.flatten().data<float>().ToArray());
    }

    [Fact]
    public void ResultSurvivesTheCallersScopeAndBadOutputsAreRejected()
    {
        Tensor result;
        using (var outer = NewDisposeScope())
        {
            result = new SlidingWindowInference([2, 2, 2]).Predict(x => x * 2, ones([1, 1, 3, 3, 3])).MoveToOuterDisposeScope();
        }
        Assert.Equal(27 * 2, result.sum().item<float>());
        result.Dispose();

        using var scope = NewDisposeScope();
        var error = Assert.Throws<InvalidOperationException>(() =>
            new SlidingWindowInference([2, 2, 2]).Predict(x => x[.., .., ..1], ones([1, 1, 3, 3, 3])));
        Assert.Contains("spatial size", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindowInference([2, 2, 2], overlap: 1.0));
    }
}
