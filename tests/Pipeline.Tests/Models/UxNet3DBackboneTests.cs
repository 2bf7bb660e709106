using System.Reflection;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Nets;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class UxNet3DBackboneTests
{
    [Fact]
    public void IsExportedAs3dUxNet()
    {
        var export = typeof(UxNet3DBackbone).GetCustomAttribute<ExportBackboneAttribute>();
        Assert.NotNull(export);
        Assert.Equal("3d-ux-net", export!.Name);
        Assert.Equal("1.0.0", export.Version);
        Assert.False(string.IsNullOrWhiteSpace(export.Description));
        Assert.Equal(typeof(UxNet3DOptions), new UxNet3DBackbone().OptionsType);
    }

    [Fact]
    public void BuildsTheConfiguredNetwork()
    {
        using var scope = NewDisposeScope();
        var options = new UxNet3DOptions
        {
            InChannels = 2, OutChannels = 4, Depths = new[] { 1, 1, 1, 1 }, FeatureSizes = new[] { 4, 6, 8, 10 }, HiddenSize = 12,
            KernelSize = 5, HeadFollowsFeatureSize = true, DepthwisePath = DepthwiseConvPath.Native, LayerScaleInitValue = 0.25,
        };
        using var network = Assert.IsType<UxNet3D>(new UxNet3DBackbone().Build(options));
        Assert.Equal(2, network.InChannels);
        Assert.Equal(4, network.OutChannels);
        var keys = network.state_dict();
        Assert.Equal(new long[] { 4, 1, 5, 5, 5 }, keys["uxnet_3d.stages.0.0.dwconv.weight"].shape);
        Assert.Equal(new long[] { 12, 10, 3, 3, 3 }, keys["encoder5.layer.conv1.conv.weight"].shape);
        Assert.True(keys["uxnet_3d.stages.3.0.gamma"].allclose(full(10, 0.25)));
        Assert.Equal(DepthwiseConvPath.Native, network.uxnet_3d.stages[2].children().OfType<Pipeline.Plugins.Models.Blocks.UxBlock>().Single().dwconv.Path);
    }

    [Fact]
    public void RejectsInvalidOptionsListingEveryKey()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new UxNet3DBackbone().Build(new UxNet3DOptions { KernelSize = 4, HiddenSize = 0 }));
        Assert.Contains("hidden_size", error.Message);
        Assert.Contains("kernel_size", error.Message);
    }

    [Fact]
    public void RejectsOptionsOfAnotherType()
    {
        var error = Assert.Throws<ArgumentException>(() => new UxNet3DBackbone().Build(new object()));
        Assert.Contains(nameof(UxNet3DOptions), error.Message);
    }
}
