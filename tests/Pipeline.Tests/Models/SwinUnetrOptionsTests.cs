using Pipeline.Core.Manifest;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;

namespace Pipeline.Tests.Models;

public sealed class SwinUnetrOptionsTests
{
    [Fact]
    public void DefaultsAreMonaisWithThePapersFeatureSizeAndValid()
    {
        var options = new SwinUnetrOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(1, options.InChannels);
        Assert.Equal(2, options.OutChannels);
        Assert.Equal(48, options.FeatureSize);
        Assert.Equal(new[] { 2, 2, 2, 2 }, options.Depths);
        Assert.Equal(new[] { 3, 6, 12, 24 }, options.NumHeads);
        Assert.Equal(7, options.WindowSize);
        Assert.Equal(2, options.PatchSize);
        Assert.Equal(4.0, options.MlpRatio);
        Assert.True(options.QkvBias);
        Assert.Equal(0, options.DropRate);
        Assert.Equal(0, options.AttnDropRate);
        Assert.Equal(0, options.DropoutPathRate);
        Assert.True(options.Normalize);
        Assert.False(options.UseV2);
        Assert.Equal(PatchMergingOrder.Merging, options.Downsample);
        Assert.False(options.UseCheckpoint);
        Assert.Equal(WindowAttentionPath.ScaledDotProduct, options.AttentionPath);
    }

    public static IEnumerable<object[]> InvalidOptions() => new[]
    {
        new object[] { new SwinUnetrOptions { InChannels = 0 }, "in_channels", "must be positive" },
        new object[] { new SwinUnetrOptions { OutChannels = 0 }, "out_channels", "must be positive" },
        new object[] { new SwinUnetrOptions { FeatureSize = 40 }, "feature_size", "multiple of 12" },
        new object[] { new SwinUnetrOptions { Depths = [2, 2, 2] }, "depths", "must list 4" },
        new object[] { new SwinUnetrOptions { Depths = [2, -1, 2, 2] }, "depths", ">= 0" },
        new object[] { new SwinUnetrOptions { NumHeads = [3, 6, 12] }, "num_heads", "must list 4" },
        new object[] { new SwinUnetrOptions { NumHeads = [3, 0, 12, 24] }, "num_heads", "must be positive" },
        new object[] { new SwinUnetrOptions { NumHeads = [3, 6, 12, 7] }, "num_heads", "stage 4 has 384 channels" },
        new object[] { new SwinUnetrOptions { WindowSize = 0 }, "window_size", "must be positive" },
        new object[] { new SwinUnetrOptions { PatchSize = 4 }, "patch_size", "must be 2" },
        new object[] { new SwinUnetrOptions { MlpRatio = 0 }, "mlp_ratio", "must be positive" },
        new object[] { new SwinUnetrOptions { DropRate = 1.5 }, "drop_rate", "[0, 1]" },
        new object[] { new SwinUnetrOptions { AttnDropRate = -0.1 }, "attn_drop_rate", "[0, 1]" },
        new object[] { new SwinUnetrOptions { DropoutPathRate = 1 }, "dropout_path_rate", "[0, 1)" },
        new object[] { new SwinUnetrOptions { Downsample = (PatchMergingOrder)9 }, "downsample", "unknown value 9" },
        new object[] { new SwinUnetrOptions { AttentionPath = (WindowAttentionPath)9 }, "attention_path", "unknown value 9" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void ReportsEachProblemUnderItsSnakeCaseKey(SwinUnetrOptions options, string key, string messagePart)
    {
        var problem = Assert.Single(options.Validate().ToList());
        Assert.Equal(key, problem.Key);
        Assert.Contains(messagePart, problem.Message);
    }

    [Fact]
    public void BindsMonaisSpellingsFromOverrides()
    {
        var options = (SwinUnetrOptions)OverrideOptions.Bind(typeof(SwinUnetrOptions),
            ["feature_size=12", "downsample=merging-legacy", "use_v2=true", "num_heads=[3, 6, 12, 24]", "attention_path=explicit"], "--set");
        Assert.Equal(12, options.FeatureSize);
        Assert.Equal(PatchMergingOrder.MergingLegacy, options.Downsample);
        Assert.True(options.UseV2);
        Assert.Equal(WindowAttentionPath.Explicit, options.AttentionPath);
        var v2 = (SwinUnetrOptions)OverrideOptions.Bind(typeof(SwinUnetrOptions), ["downsample=mergingv2"], "--set");
        Assert.Equal(PatchMergingOrder.Mergingv2, v2.Downsample);
    }

    [Fact]
    public void EveryPropertyIsDescribed()
    {
        var undescribed = typeof(SwinUnetrOptions).GetProperties()
            .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false).Length == 0)
            .Select(p => p.Name);
        Assert.Empty(undescribed);
    }
}
