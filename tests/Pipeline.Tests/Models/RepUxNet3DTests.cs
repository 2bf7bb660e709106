using System.Reflection;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Models.Nets;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class RepUxNet3DTests
{
    private static RepUxNet3D Small(bool headFollowsFeatureSize = true) =>
        new(inChannels: 2, outChannels: 3, depths: new[] { 1, 1, 1, 1 }, featureSizes: new[] { 4, 6, 8, 10 }, hiddenSize: 12,
            kernelSize: 5, headFollowsFeatureSize: headFollowsFeatureSize);

    [Fact]
    public void MapsNonCubicBatchesToPerVoxelLogits()
    {
        using var scope = NewDisposeScope();
        using var network = Small();
        network.eval();
        var x = randn(new long[] { 2, 2, 16, 32, 16 }, generator: new Generator(74));
        using (no_grad())
        {
            Assert.Equal(new long[] { 2, 3, 16, 32, 16 }, network.call(x).shape);
            var features = network.EncoderFeatures(x);
            Assert.Equal(4, features.Count);
            Assert.Equal(new long[] { 2, 10, 1, 2, 1 }, features[3].shape);
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
        var error = Assert.Throws<ArgumentException>(() => network.call(zeros(new long[] { 1, 2, 16, 24, 16 })));
        Assert.Contains("divisible by 16", error.Message);
    }

    [Fact]
    public void SharesTheDecoderKeysWithUxNet()
    {
        using var scope = NewDisposeScope();
        using var repux = Small();
        using var ux = new UxNet3D(2, 3, new[] { 1, 1, 1, 1 }, new[] { 4, 6, 8, 10 }, 12, 5, headFollowsFeatureSize: true);
        static Dictionary<string, string> Decoder(nn.Module module, string encoder) => module.state_dict()
            .Where(entry => !entry.Key.StartsWith(encoder + ".", StringComparison.Ordinal))
            .ToDictionary(entry => entry.Key, entry => string.Join(",", entry.Value.shape));
        Assert.Equal(Decoder(ux, "uxnet_3d"), Decoder(repux, "repuxnet_3d"));
        Assert.Contains("repuxnet_3d.stages.3.0.norm.running_mean", repux.state_dict().Keys);
    }

    [Fact]
    public void OriginalHeadRequiresFirstFeatureSize48AndNamesTheOptions()
    {
        var error = Assert.Throws<ArgumentException>(() => Small(headFollowsFeatureSize: false));
        Assert.Contains("REPUXNET", error.Message);
        Assert.Contains("head_follows_feature_size", error.Message);
    }

    [Fact]
    public void BackboneIsExportedAsRepUxNetAndBuildsTheConfiguredNetwork()
    {
        var export = typeof(RepUxNet3DBackbone).GetCustomAttribute<ExportBackboneAttribute>();
        Assert.NotNull(export);
        Assert.Equal("repux-net", export!.Name);
        Assert.Equal(typeof(RepUxNet3DOptions), new RepUxNet3DBackbone().OptionsType);

        using var scope = NewDisposeScope();
        var options = new RepUxNet3DOptions
        {
            InChannels = 1, OutChannels = 4, Depths = new[] { 1, 2, 1, 1 }, FeatureSizes = new[] { 4, 6, 8, 10 }, HiddenSize = 12,
            KernelSize = 3, HeadFollowsFeatureSize = true, DepthwisePath = DepthwiseConvPath.Fft,
        };
        using var network = Assert.IsType<RepUxNet3D>(new RepUxNet3DBackbone().Build(options));
        var keys = network.state_dict();
        Assert.Equal(new long[] { 6, 1, 3, 3, 3 }, keys["repuxnet_3d.stages.1.1.dwconv.weight"].shape);
        Assert.Equal(new long[] { 4, 4, 1, 1, 1 }, keys["out.conv.conv.weight"].shape);
        Assert.All(network.modules().OfType<DepthwiseConv3d>(), layer => Assert.Equal(DepthwiseConvPath.Fft, layer.Path));
        Assert.Equal(5, network.modules().OfType<RepUxBlock>().Count());
    }

    [Fact]
    public void BackboneRejectsInvalidOptionsListingEveryKeyAndForeignOptions()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new RepUxNet3DBackbone().Build(new RepUxNet3DOptions { KernelSize = 20, Depths = new[] { 1 } }));
        Assert.Contains("repux-net", error.Message);
        Assert.Contains("kernel_size", error.Message);
        Assert.Contains("depths", error.Message);
        var foreign = Assert.Throws<ArgumentException>(() => new RepUxNet3DBackbone().Build(new UxNet3DOptions()));
        Assert.Contains(nameof(RepUxNet3DOptions), foreign.Message);
    }
}
