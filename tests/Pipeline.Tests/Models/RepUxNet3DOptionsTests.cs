using Pipeline.Core.Nn;
using Pipeline.Plugins.Models;

namespace Pipeline.Tests.Models;

public sealed class RepUxNet3DOptionsTests
{
    [Fact]
    public void DefaultsAreThePaperConfigurationAndValid()
    {
        var options = new RepUxNet3DOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(1, options.InChannels);
        Assert.Equal(2, options.OutChannels);
        Assert.Equal(new[] { 2, 2, 2, 2 }, options.Depths);
        Assert.Equal(new[] { 48, 96, 192, 384 }, options.FeatureSizes);
        Assert.Equal(768, options.HiddenSize);
        Assert.Equal(21, options.KernelSize);
        Assert.False(options.HeadFollowsFeatureSize);
        Assert.Equal(DepthwiseConvPath.Auto, options.DepthwisePath);
    }

    public static IEnumerable<object[]> InvalidOptions() => new[]
    {
        new object[] { new RepUxNet3DOptions { InChannels = 0 }, "in_channels", "must be positive" },
        new object[] { new RepUxNet3DOptions { OutChannels = 0 }, "out_channels", "must be positive" },
        new object[] { new RepUxNet3DOptions { Depths = new[] { 2, 2, 2, 2, 2 } }, "depths", "must list 4" },
        new object[] { new RepUxNet3DOptions { Depths = new[] { 2, 2, -1, 2 } }, "depths", "every entry must be positive" },
        new object[] { new RepUxNet3DOptions { FeatureSizes = new[] { 48, 96 } }, "feature_sizes", "must list 4" },
        new object[] { new RepUxNet3DOptions { HiddenSize = -5 }, "hidden_size", "must be positive" },
        new object[] { new RepUxNet3DOptions { KernelSize = 0 }, "kernel_size", "positive odd" },
        new object[] { new RepUxNet3DOptions { KernelSize = 22 }, "kernel_size", "positive odd" },
        new object[] { new RepUxNet3DOptions { DepthwisePath = (DepthwiseConvPath)9 }, "depthwise_path", "unknown value 9" },
        new object[] { new RepUxNet3DOptions { FeatureSizes = new[] { 8, 16, 32, 64 } }, "feature_sizes", "head_follows_feature_size: true" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void ReportsEachProblemUnderItsSnakeCaseKey(RepUxNet3DOptions options, string key, string messagePart)
    {
        var problem = Assert.Single(options.Validate().ToList());
        Assert.Equal(key, problem.Key);
        Assert.Contains(messagePart, problem.Message);
    }

    [Fact]
    public void EveryPropertyIsDescribed()
    {
        var undescribed = typeof(RepUxNet3DOptions).GetProperties()
            .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false).Length == 0)
            .Select(p => p.Name);
        Assert.Empty(undescribed);
    }
}
