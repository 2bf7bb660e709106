using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models.Nets;

namespace Pipeline.Plugins.Models;

/// <summary>
/// The <c>repux-net</c> backbone: builds a <see cref="RepUxNet3D"/> from <see cref="RepUxNet3DOptions"/>. Pair it with
/// the <c>bfr</c> weight prior to train as the paper (or, with <c>mode: official</c>, as the released code) does.
/// </summary>
[ExportBackbone(Name, "1.0.0",
    "3D RepUX-Net (MICCAI 2023): 21^3 depthwise conv + BatchNorm encoder with a UNETR-style decoder; use the bfr prior for training.")]
public sealed class RepUxNet3DBackbone : IBackbone
{
    /// <summary>The plugin name.</summary>
    public const string Name = "repux-net";

    /// <inheritdoc />
    public Type OptionsType => typeof(RepUxNet3DOptions);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> is not a <see cref="RepUxNet3DOptions"/>, or is invalid (every problem is listed by key).
    /// </exception>
    public SegmentationNetwork Build(object options)
    {
        var o = BackboneOptions.Checked<RepUxNet3DOptions>(options, Name);
        return new RepUxNet3D(o.InChannels, o.OutChannels, o.Depths, o.FeatureSizes, o.HiddenSize, o.KernelSize,
            o.HeadFollowsFeatureSize, o.DepthwisePath);
    }
}
