using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models.Nets;

namespace Pipeline.Plugins.Models;

/// <summary>The <c>3d-ux-net</c> backbone: builds a <see cref="UxNet3D"/> from <see cref="UxNet3DOptions"/>.</summary>
[ExportBackbone(Name, "1.0.0",
    "3D UX-Net (ICLR 2023): 7^3 depthwise-conv encoder with a UNETR-style decoder; weights load from the original's checkpoints.")]
public sealed class UxNet3DBackbone : IBackbone
{
    /// <summary>The plugin name.</summary>
    public const string Name = "3d-ux-net";

    /// <inheritdoc />
    public Type OptionsType => typeof(UxNet3DOptions);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> is not a <see cref="UxNet3DOptions"/>, or is invalid (every problem is listed by key).
    /// </exception>
    public SegmentationNetwork Build(object options)
    {
        var o = BackboneOptions.Checked<UxNet3DOptions>(options, Name);
        return new UxNet3D(o.InChannels, o.OutChannels, o.Depths, o.FeatureSizes, o.HiddenSize, o.KernelSize,
            o.LayerScaleInitValue, o.DropPathRate, o.HeadFollowsFeatureSize, o.DepthwisePath);
    }
}
