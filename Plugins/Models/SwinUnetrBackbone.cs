using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models.Nets;

namespace Pipeline.Plugins.Models;

/// <summary>The <c>swin-unetr</c> backbone: builds a <see cref="SwinUnetr"/> from <see cref="SwinUnetrOptions"/>.</summary>
[ExportBackbone(Name, "1.0.0",
    "SwinUNETR (MONAI): shifted-window transformer encoder with a UNETR-style decoder; MONAI checkpoints load 1:1 (merging-legacy for MONAI <= 1.4).")]
public sealed class SwinUnetrBackbone : IBackbone
{
    /// <summary>The plugin name.</summary>
    public const string Name = "swin-unetr";

    /// <inheritdoc />
    public Type OptionsType => typeof(SwinUnetrOptions);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> is not a <see cref="SwinUnetrOptions"/>, or is invalid (every problem is listed by key).
    /// </exception>
    public SegmentationNetwork Build(object options)
    {
        var o = BackboneOptions.Checked<SwinUnetrOptions>(options, Name);
        return new SwinUnetr(o.InChannels, o.OutChannels, o.FeatureSize, o.Depths, o.NumHeads, o.WindowSize, o.PatchSize, o.MlpRatio,
            o.QkvBias, o.DropRate, o.AttnDropRate, o.DropoutPathRate, o.Normalize, o.UseV2, o.Downsample, o.UseCheckpoint, o.AttentionPath);
    }
}
