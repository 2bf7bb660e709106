using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Samples.TinyUNet;

/// <summary>Options of the <c>tiny-unet</c> backbone (YAML keys are the snake_case property names).</summary>
public sealed class TinyUNetOptions : IValidatableOptions
{
    /// <summary>Image channels.</summary>
    [Description("Number of image channels.")]
    public int InChannels { get; set; } = 1;

    /// <summary>Output classes, background included.</summary>
    [Description("Number of output classes, background included.")]
    public int OutChannels { get; set; } = 2;

    /// <summary>Channels at full and at half resolution.</summary>
    [Description("Channels at full and at half resolution.")]
    public int[] FeatureSizes { get; set; } = [8, 16];

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (InChannels < 1) yield return ("in_channels", "must be at least 1");
        if (OutChannels < 2) yield return ("out_channels", "must be at least 2 (background and one class)");
        if (FeatureSizes.Length != 2 || FeatureSizes.Any(f => f < 1)) yield return ("feature_sizes", "must be two positive channel counts");
    }
}
