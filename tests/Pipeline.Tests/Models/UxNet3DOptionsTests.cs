using Pipeline.Core.Nn;
using Pipeline.Plugins.Models;

namespace Pipeline.Tests.Models;

public sealed class UxNet3DOptionsTests
{
    [Fact]
    public void DefaultsAreThePaperConfigurationAndValid()
    {
        var options = new UxNet3DOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(1, options.InChannels);
        Assert.Equal(2, options.OutChannels);
        Assert.Equal(new[] { 2, 2, 2, 2 }, options.Depths);
        Assert.Equal(new[] { 48, 96, 192, 384 }, options.FeatureSizes);
        Assert.Equal(768, options.HiddenSize);
        Assert.Equal(7, options.KernelSize);
        Assert.Equal(1e-6, options.LayerScaleInitValue);
        Assert.Equal(0, options.DropPathRate);
        Assert.False(options.HeadFollowsFeatureSize);
        Assert.Equal(DepthwiseConvPath.Auto, options.DepthwisePath);
    }

    public static IEnumerable<object[]> InvalidOptions() => new[]
    {
        new object[] { new UxNet3DOptions { InChannels = 0 }, "in_channels", "must be positive" },
        new object[] { new UxNet3DOptions { OutChannels = -1 }, "out_channels", "must be positive" },
        new object[] { new UxNet3DOptions { Depths = new[] { 2, 2, 2 } }, "depths", "must list 4" },
        new object[] { new UxNet3DOptions { Depths = new[] { 2, 0, 2, 2 } }, "depths", "every entry must be positive" },
        new object[] { new UxNet3DOptions { FeatureSizes = new[] { 48, 96, 192, 384, 768 } }, "feature_sizes", "must list 4" },
        new object[] { new UxNet3DOptions { FeatureSizes = new[] { 48, -96, 192, 384 } }, "feature_sizes", "every entry must be positive" },
        new object[] { new UxNet3DOptions { HiddenSize = 0 }, "hidden_size", "must be positive" },
        new object[] { new UxNet3DOptions { KernelSize = 8 }, "kernel_size", "positive odd" },
        new object[] { new UxNet3DOptions { LayerScaleInitValue = -1e-6 }, "layer_scale_init_value", "must be >= 0" },
        new object[] { new UxNet3DOptions { DropPathRate = 1 }, "drop_path_rate", "[0, 1)" },
        new object[] { new UxNet3DOptions { DepthwisePath = (DepthwiseConvPath)42 }, "depthwise_path", "unknown value 42" },
        new object[] { new UxNet3DOptions { FeatureSizes = new[] { 24, 48, 96, 192 } }, "feature_sizes", "head_follows_feature_size: true" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void ReportsEachProblemUnderItsSnakeCaseKey(UxNet3DOptions options, string key, string messagePart)
    {
        var problems = options.Validate().ToList();
        var problem = Assert.Single(problems);
        Assert.Equal(key, problem.Key);
        Assert.Contains(messagePart, problem.Message);
    }

    [Fact]
    public void NarrowFirstStageIsValidWhenTheHeadFollowsIt() =>
        Assert.Empty(new UxNet3DOptions { FeatureSizes = new[] { 24, 48, 96, 192 }, HeadFollowsFeatureSize = true }.Validate());

    [Fact]
    public void EveryPropertyIsDescribed()
    {
        var undescribed = typeof(UxNet3DOptions).GetProperties()
            .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false).Length == 0)
            .Select(p => p.Name);
        Assert.Empty(undescribed);
    }
}
