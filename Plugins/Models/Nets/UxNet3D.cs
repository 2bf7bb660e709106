using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Nets;

/// <summary>
/// 3D UX-Net (Lee et al., ICLR 2023; <c>UXNET</c> in MASILab/3DUX-Net, networks/UXNet_3D/network_backbone.py):
/// a <see cref="UxNetEncoder"/> (<c>uxnet_3d</c>; four stages, 1/2 … 1/16 resolution) with the UNETR-style decoder
/// of <see cref="UnetrStyleNetwork"/>. State_dict keys equal the original's, so its checkpoints load 1:1. Every
/// spatial input size must be a multiple of 16.
/// </summary>
public sealed class UxNet3D : UnetrStyleNetwork
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The UX-Net encoder.</summary>
    public readonly UxNetEncoder uxnet_3d;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input image channels (<c>in_chans</c>; 1 for CT/MRI).</param>
    /// <param name="outChannels">Output classes including background (<c>out_chans</c>).</param>
    /// <param name="depths">Blocks per encoder stage, 4 entries (<c>depths</c>; default [2, 2, 2, 2]).</param>
    /// <param name="featureSizes">Channels per encoder stage, 4 entries (<c>feat_size</c>; default [48, 96, 192, 384]).</param>
    /// <param name="hiddenSize">Bottleneck channels of <c>encoder5</c> (<c>hidden_size</c>; default 768).</param>
    /// <param name="kernelSize">Odd depthwise kernel size of the encoder blocks (7 in the original; 21 for "3D UX-Net (k=21)").</param>
    /// <param name="layerScaleInitValue">Initial layer-scale γ (<c>layer_scale_init_value</c>; default 1e-6; 0: no γ).</param>
    /// <param name="dropPathRate">Largest stochastic-depth rate of the encoder blocks (<c>drop_path_rate</c>; default 0).</param>
    /// <param name="headFollowsFeatureSize">
    /// False (default): the head takes <see cref="UnetrStyleNetwork.OriginalHeadChannels"/> channels as in the
    /// original, which then requires featureSizes[0] = 48. True: the head takes featureSizes[0] channels.
    /// </param>
    /// <param name="depthwisePath">How the encoder's depthwise convolutions are computed.</param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names the option.</exception>
    public UxNet3D(int inChannels, int outChannels, IReadOnlyList<int>? depths = null, IReadOnlyList<int>? featureSizes = null,
        int hiddenSize = 768, int kernelSize = 7, double layerScaleInitValue = 1e-6, double dropPathRate = 0,
        bool headFollowsFeatureSize = false, DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto)
        : base(nameof(UxNet3D), "UXNET", inChannels, outChannels, depths, featureSizes, hiddenSize, headFollowsFeatureSize)
    {
        uxnet_3d = new UxNetEncoder(inChannels, Depths, FeatureSizes, kernelSize, dropPathRate, layerScaleInitValue, depthwisePath);
        RegisterComponents();
    }

    /// <inheritdoc />
    /// <remarks>The uxnet_3d encoder only; the UNETR-style <c>encoder1..5</c> skip blocks belong to the decoder side.</remarks>
    public override IReadOnlyList<string> EncoderParameterPrefixes => [nameof(uxnet_3d) + "."];

    /// <inheritdoc />
    protected override IReadOnlyList<Tensor> Encode(Tensor input) => uxnet_3d.call(input);
}
