using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Nets;

/// <summary>
/// 3D RepUX-Net (Lee et al., MICCAI 2023; <c>REPUXNET</c> in MASILab/RepUX-Net,
/// networks/RepUXNet_3D/network_backbone.py) with deploy semantics: a <see cref="RepUxNetEncoder"/>
/// (<c>repuxnet_3d</c>; four stages of 21³ depthwise conv → BatchNorm → GELU blocks) with the UNETR-style decoder of
/// <see cref="UnetrStyleNetwork"/>, identical to 3D UX-Net's. The Bayesian frequency re-parameterization used in
/// training is a weight prior (<c>bfr</c>) installed on the blocks' <c>dwconv</c> layers, not part of the network;
/// without it, this is the original with <c>deploy=True</c>. State_dict keys equal the original's (115 entries in the
/// default configuration, no BFM), so its checkpoints load 1:1. Every spatial input size must be a multiple of 16.
/// </summary>
public sealed class RepUxNet3D : UnetrStyleNetwork
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The RepUX-Net encoder.</summary>
    public readonly RepUxNetEncoder repuxnet_3d;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input image channels (<c>in_chans</c>; 1 for CT/MRI).</param>
    /// <param name="outChannels">Output classes including background (<c>out_chans</c>).</param>
    /// <param name="depths">Blocks per encoder stage, 4 entries (<c>depths</c>; default [2, 2, 2, 2]).</param>
    /// <param name="featureSizes">Channels per encoder stage, 4 entries (<c>feat_size</c>; default [48, 96, 192, 384]).</param>
    /// <param name="hiddenSize">Bottleneck channels of <c>encoder5</c> (<c>hidden_size</c>; default 768).</param>
    /// <param name="kernelSize">Odd depthwise kernel size of the encoder blocks (<c>ks</c>; default 21).</param>
    /// <param name="headFollowsFeatureSize">
    /// False (default): the head takes <see cref="UnetrStyleNetwork.OriginalHeadChannels"/> channels as in the
    /// original, which then requires featureSizes[0] = 48. True: the head takes featureSizes[0] channels.
    /// </param>
    /// <param name="depthwisePath">How the encoder's depthwise convolutions are computed.</param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names the option.</exception>
    public RepUxNet3D(int inChannels, int outChannels, IReadOnlyList<int>? depths = null, IReadOnlyList<int>? featureSizes = null,
        int hiddenSize = 768, int kernelSize = RepUxBlock.DefaultKernelSize, bool headFollowsFeatureSize = false,
        DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto)
        : base(nameof(RepUxNet3D), "REPUXNET", inChannels, outChannels, depths, featureSizes, hiddenSize, headFollowsFeatureSize)
    {
        repuxnet_3d = new RepUxNetEncoder(inChannels, Depths, FeatureSizes, kernelSize, depthwisePath);
        RegisterComponents();
    }

    /// <inheritdoc />
    /// <remarks>The repuxnet_3d encoder only; the UNETR-style <c>encoder1..5</c> skip blocks belong to the decoder side.</remarks>
    public override IReadOnlyList<string> EncoderParameterPrefixes => [nameof(repuxnet_3d) + "."];

    /// <inheritdoc />
    protected override IReadOnlyList<Tensor> Encode(Tensor input) => repuxnet_3d.call(input);
}
