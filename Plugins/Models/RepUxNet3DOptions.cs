using System.ComponentModel;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Models;

/// <summary>
/// Options of the <c>repux-net</c> backbone (YAML keys are the snake_case property names). Defaults are the paper's
/// configuration (<c>main_train.py</c> of MASILab/RepUX-Net) except <see cref="OutChannels"/>, which is
/// dataset-specific. The original's <c>norm_name="instance"</c>, <c>res_block=True</c> and <c>spatial_dims=3</c> are
/// fixed (every script uses them); <c>drop_path_rate</c>, <c>layer_scale_init_value</c> and <c>conv_block</c> are
/// accepted but unused by the original and therefore absent here. Its <c>a</c> (BFR α) and <c>deploy</c> belong to
/// the <c>bfr</c> weight prior: the network itself always computes the deploy form.
/// </summary>
public sealed class RepUxNet3DOptions : IValidatableOptions
{
    /// <summary>Number of input image channels (the original's <c>in_chans</c>; 1 for CT/MRI).</summary>
    [Description("Input image channels (in_chans); 1 for CT/MRI.")]
    public int InChannels { get; set; } = 1;

    /// <summary>
    /// Number of output classes including background (<c>out_chans</c>). Default 2 (foreground/background); the paper
    /// used 5 (FLARE) and 16 (AMOS).
    /// </summary>
    [Description("Output classes including background (out_chans). Paper: FLARE 5, AMOS 16.")]
    public int OutChannels { get; set; } = 2;

    /// <summary>RepUX blocks per encoder stage, 4 entries (<c>depths</c>; default [2, 2, 2, 2]).</summary>
    [Description("RepUX blocks per encoder stage, 4 entries (depths).")]
    public int[] Depths { get; set; } = { 2, 2, 2, 2 };

    /// <summary>Channels per encoder stage, 4 entries (<c>feat_size</c>; default [48, 96, 192, 384]).</summary>
    [Description("Channels per encoder stage, 4 entries (feat_size).")]
    public int[] FeatureSizes { get; set; } = { 48, 96, 192, 384 };

    /// <summary>Channels of the bottleneck block <c>encoder5</c> (<c>hidden_size</c>; default 768).</summary>
    [Description("Bottleneck channels of encoder5 (hidden_size).")]
    public int HiddenSize { get; set; } = 768;

    /// <summary>Odd depthwise kernel size of the encoder blocks (<c>ks</c>; default 21).</summary>
    [Description("Odd depthwise kernel size of the encoder blocks (ks); 21 in RepUX-Net.")]
    public int KernelSize { get; set; } = 21;

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
    public IEnumerable<(string Key, string Message)> Validate() =>
        UnetrStyleOptionChecks.Validate(InChannels, OutChannels, Depths, FeatureSizes, HiddenSize, KernelSize,
            HeadFollowsFeatureSize, DepthwisePath);
}
