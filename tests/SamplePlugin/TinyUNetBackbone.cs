using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Samples.TinyUNet;

/// <summary>The sample backbone plugin: one attribute exports it with its name, version and description.</summary>
[ExportBackbone("tiny-unet", "0.1.0", "Sample plugin: a two-level 3-D U-Net for smoke tests and as a plugin template.")]
public sealed class TinyUNetBackbone : IBackbone
{
    /// <inheritdoc />
    public Type OptionsType => typeof(TinyUNetOptions);

    /// <inheritdoc />
    public SegmentationNetwork Build(object options) => new TinyUNet((TinyUNetOptions)options);
}
