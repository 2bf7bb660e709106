using System.ComponentModel;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Models;

/// <summary>
/// Options of the <c>3d-ux-net</c> backbone (YAML keys are the snake_case property names). Defaults are the paper's
/// configuration (<c>main_train.py</c> of MASILab/3DUX-Net) except <see cref="OutChannels"/>, which is dataset-specific.
/// The original's <c>norm_name="instance"</c>, <c>res_block=True</c> and <c>spatial_dims=3</c> are fixed (every
/// script uses them); <c>conv_block</c> is unused by the original.
/// </summary>
public sealed class UxNet3DOptions : IValidatableOptions
{
    /// <summary>Number of input image channels (the original's <c>in_chans</c>; 1 for CT/MRI).</summary>
    [Description("Input image channels (in_chans); 1 for CT/MRI.")]
    public int InChannels { get; set; } = 1;

    /// <summary>
    /// Number of output classes including background (<c>out_chans</c>). Default 2 (foreground/background); the paper
    /// used 5 (FLARE), 16 (AMOS) and 8 (FeTA).
    /// </summary>
    [Description("Output classes including background (out_chans). Paper: FLARE 5, AMOS 16, FeTA 8.")]
    public int OutChannels { get; set; } = 2;

    /// <summary>UX blocks per encoder stage, 4 entries (<c>depths</c>; default [2, 2, 2, 2]).</summary>
    [Description("UX blocks per encoder stage, 4 entries (depths).")]
    public int[] Depths { get; set; } = { 2, 2, 2, 2 };

    /// <summary>Channels per encoder stage, 4 entries (<c>feat_size</c>; default [48, 96, 192, 384]).</summary>
    [Description("Channels per encoder stage, 4 entries (feat_size).")]
    public int[] FeatureSizes { get; set; } = { 48, 96, 192, 384 };

    /// <summary>Channels of the bottleneck block <c>encoder5</c> (<c>hidden_size</c>; default 768).</summary>
    [Description("Bottleneck channels of encoder5 (hidden_size).")]
    public int HiddenSize { get; set; } = 768;

    /// <summary>Odd depthwise kernel size of the encoder blocks (default 7; the RepUX-Net paper also compares 21).</summary>
    [Description("Odd depthwise kernel size of the encoder blocks (7 in 3D UX-Net).")]
    public int KernelSize { get; set; } = 7;

    /// <summary>Initial value of each block's layer scale γ (<c>layer_scale_init_value</c>; default 1e-6; 0 disables γ).</summary>
    [Description("Initial layer-scale gamma of each UX block (layer_scale_init_value); 0 disables it.")]
    public double LayerScaleInitValue { get; set; } = 1e-6;

    /// <summary>Largest stochastic-depth rate, spread linearly over the encoder blocks (<c>drop_path_rate</c>; default 0).</summary>
    [Description("Largest stochastic-depth rate over the encoder blocks (drop_path_rate), in [0, 1).")]
    public double DropPathRate { get; set; }

    /// <summary>
    /// False (default, as the original): the head takes 48 channels, so <see cref="FeatureSizes"/>[0] must be 48.
    /// True: the head takes <see cref="FeatureSizes"/>[0] channels, which allows narrower or wider first stages.
    /// </summary>
    [Description("Size the segmentation head from feature_sizes[0] instead of the original's hard-coded 48.")]
    public bool HeadFollowsFeatureSize { get; set; }

    /// <summary>How the depthwise convolutions are computed (default Auto); changes speed, not results.</summary>
    [Description("Depthwise convolution implementation (DepthwiseConvPath): Auto, Native, Fft or DirectBackward.")]
    public DepthwiseConvPath DepthwisePath { get; set; } = DepthwiseConvPath.Auto;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in UnetrStyleOptionChecks.Validate(InChannels, OutChannels, Depths, FeatureSizes, HiddenSize,
                     KernelSize, HeadFollowsFeatureSize, DepthwisePath))
            yield return problem;
        if (double.IsNaN(LayerScaleInitValue) || LayerScaleInitValue < 0)
            yield return ("layer_scale_init_value", $"must be >= 0 (0 disables layer scale), got {LayerScaleInitValue}.");
        if (double.IsNaN(DropPathRate) || DropPathRate < 0 || DropPathRate >= 1)
            yield return ("drop_path_rate", $"must be in [0, 1), got {DropPathRate}.");
    }
}
