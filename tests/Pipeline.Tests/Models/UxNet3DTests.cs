using Pipeline.Plugins.Models.Nets;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class UxNet3DTests
{
    private static UxNet3D Small(bool headFollowsFeatureSize = true) =>
        new(inChannels: 2, outChannels: 3, depths: new[] { 1, 1, 1, 1 }, featureSizes: new[] { 4, 6, 8, 10 }, hiddenSize: 12,
            kernelSize: 3, headFollowsFeatureSize: headFollowsFeatureSize);

    [Fact]
    public void MapsNonCubicBatchesToPerVoxelLogits()
    {
        using var scope = NewDisposeScope();
        using var network = Small();
        network.eval();
        var x = randn(new long[] { 2, 2, 16, 32, 48 }, generator: new Generator(91));
        using (no_grad())
        {
            Assert.Equal(new long[] { 2, 3, 16, 32, 48 }, network.call(x).shape);
            Assert.Equal(4, network.EncoderFeatures(x).Count);
        }
        Assert.Equal(16, network.SpatialDivisor);
        Assert.Equal(2, network.InChannels);
        Assert.Equal(3, network.OutChannels);
    }

    [Fact]
    public void RejectsSpatialSizesNotDivisibleBy16BeforeComputing()
    {
        using var scope = NewDisposeScope();
        using var network = Small();
        var error = Assert.Throws<ArgumentException>(() => network.call(zeros(new long[] { 1, 2, 16, 40, 16 })));
        Assert.Contains("divisible by 16", error.Message);
    }

    [Fact]
    public void TrainsEveryParameterThroughTheInPlaceActivations()
    {
        using var scope = NewDisposeScope();
        using var network = Small();
        network.train();
        var x = randn(new long[] { 1, 2, 16, 16, 16 }, generator: new Generator(92));
        network.call(x).square().mean().backward();
        foreach (var (name, parameter) in network.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} got no gradient.");
            Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient.");
        }
    }

    [Fact]
    public void OriginalHeadRequiresFirstFeatureSize48AndNamesTheOptions()
    {
        var error = Assert.Throws<ArgumentException>(() => Small(headFollowsFeatureSize: false));
        Assert.Contains("feature_sizes[0] is 4", error.Message);
        Assert.Contains("head_follows_feature_size", error.Message);
        Assert.Contains("48", error.Message);
    }

    [Fact]
    public void HeadWidthFollowsTheChoice()
    {
        using var scope = NewDisposeScope();
        using var original = new UxNet3D(1, 2, featureSizes: new[] { 48, 8, 16, 24 }, hiddenSize: 16);
        Assert.Equal(new long[] { 2, 48, 1, 1, 1 }, original.state_dict()["out.conv.conv.weight"].shape);
        using var followed = Small();
        Assert.Equal(new long[] { 3, 4, 1, 1, 1 }, followed.state_dict()["out.conv.conv.weight"].shape);
    }

    [Fact]
    public void RejectsWrongStageCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => new UxNet3D(1, 2, depths: new[] { 2, 2, 2 }));
        Assert.Contains("depths must have 4 entries", error.Message);
    }
}
