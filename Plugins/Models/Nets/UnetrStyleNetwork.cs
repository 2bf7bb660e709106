using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Nets;

/// <summary>
/// The UNETR-style skip decoder of 3D UX-Net and 3D RepUX-Net (identical in <c>UXNET</c> and <c>REPUXNET</c>, MONAI
/// blocks, instance norm, residual blocks), as a base for networks that differ only in their four-stage encoder.
/// Skip path: <c>encoder1</c> on the image, <c>encoder2..4</c> on encoder outputs 0..2, <c>encoder5</c> lifts output 3
/// to <c>hidden_size</c> channels; <c>decoder5..2</c> up-sample and fuse the skips, <c>decoder1</c> refines at full
/// resolution and <c>out</c> maps to class logits (no softmax). Every spatial input size must be a multiple of 16.
/// </summary>
/// <remarks>
/// The decoder's modules are fields of the network itself, not of a child module, because in the originals they are
/// attributes of the network and their state_dict keys (<c>encoder1.layer.conv1.conv.weight</c>, …) carry no prefix;
/// TorchSharp derives keys from field paths, so sharing them through this base class keeps checkpoints 1:1.
/// A derived class creates its encoder and then calls <c>RegisterComponents()</c>, which registers the encoder first
/// (the originals' state_dict order) and then these fields.
/// </remarks>
public abstract class UnetrStyleNetwork : SegmentationNetwork
{
    /// <summary>The head's input width in the originals, which hard-code <c>UnetOutBlock(in_channels=48)</c>.</summary>
    public const int OriginalHeadChannels = 48;

    /// <summary>Number of encoder stages.</summary>
    public const int StageCount = 4;

    /// <summary>Kernel size of every encoder/decoder residual block.</summary>
    public const int DecoderKernelSize = 3;

    /// <summary>Kernel size and stride of the decoder's transposed convolutions.</summary>
    public const int UpsampleKernelSize = 2;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Image → feature_sizes[0], full resolution.</summary>
    public readonly UnetrBasicBlock encoder1;
    /// <summary>Encoder output 0 → feature_sizes[1], 1/2.</summary>
    public readonly UnetrBasicBlock encoder2;
    /// <summary>Encoder output 1 → feature_sizes[2], 1/4.</summary>
    public readonly UnetrBasicBlock encoder3;
    /// <summary>Encoder output 2 → feature_sizes[3], 1/8.</summary>
    public readonly UnetrBasicBlock encoder4;
    /// <summary>Encoder output 3 → hidden_size, 1/16 (the bottleneck).</summary>
    public readonly UnetrBasicBlock encoder5;
    /// <summary>hidden_size → feature_sizes[3], fused with encoder4's output, 1/8.</summary>
    public readonly UnetrUpBlock decoder5;
    /// <summary>feature_sizes[3] → feature_sizes[2], fused with encoder3's output, 1/4.</summary>
    public readonly UnetrUpBlock decoder4;
    /// <summary>feature_sizes[2] → feature_sizes[1], fused with encoder2's output, 1/2.</summary>
    public readonly UnetrUpBlock decoder3;
    /// <summary>feature_sizes[1] → feature_sizes[0], fused with encoder1's output, full resolution.</summary>
    public readonly UnetrUpBlock decoder2;
    /// <summary>feature_sizes[0] → feature_sizes[0] refinement.</summary>
    public readonly UnetrBasicBlock decoder1;
    /// <summary>Segmentation head: head width → out_channels logits.</summary>
    public readonly UnetOutBlock @out;
#pragma warning restore IDE1006

    /// <param name="name">Module name (diagnostics only).</param>
    /// <param name="originalClass">The original's class name, for error messages (e.g. <c>UXNET</c>).</param>
    /// <param name="inChannels">Input image channels (<c>in_chans</c>; 1 for CT/MRI).</param>
    /// <param name="outChannels">Output classes including background (<c>out_chans</c>).</param>
    /// <param name="depths">Blocks per encoder stage, 4 entries (<c>depths</c>; null: [2, 2, 2, 2]); validated here, used by the encoder.</param>
    /// <param name="featureSizes">Channels per encoder stage, 4 entries (<c>feat_size</c>; null: [48, 96, 192, 384]).</param>
    /// <param name="hiddenSize">Bottleneck channels of <c>encoder5</c> (<c>hidden_size</c>; 768 in both papers).</param>
    /// <param name="headFollowsFeatureSize">
    /// False: the head takes <see cref="OriginalHeadChannels"/> channels as in the originals, which then requires
    /// featureSizes[0] = 48. True: the head takes featureSizes[0] channels (needed for any other width).
    /// </param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names the option.</exception>
    protected UnetrStyleNetwork(string name, string originalClass, int inChannels, int outChannels, IReadOnlyList<int>? depths,
        IReadOnlyList<int>? featureSizes, int hiddenSize, bool headFollowsFeatureSize) : base(name)
    {
        var d = depths ?? new[] { 2, 2, 2, 2 };
        var f = featureSizes ?? new[] { 48, 96, 192, 384 };
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "in_channels must be positive.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "out_channels must be positive.");
        if (d.Count != StageCount)
            throw new ArgumentException($"depths must have {StageCount} entries, got [{string.Join(", ", d)}].", nameof(depths));
        if (f.Count != StageCount)
            throw new ArgumentException($"feature_sizes must have {StageCount} entries, got [{string.Join(", ", f)}].", nameof(featureSizes));
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "hidden_size must be positive.");
        int headChannels = headFollowsFeatureSize ? f[0] : OriginalHeadChannels;
        if (headChannels != f[0])
            throw new ArgumentException(
                $"feature_sizes[0] is {f[0]}, but the original {originalClass} head takes {OriginalHeadChannels} channels " +
                $"(head_follows_feature_size: false). Set head_follows_feature_size: true to size the head from feature_sizes[0], " +
                $"or use feature_sizes[0] = {OriginalHeadChannels}.", nameof(featureSizes));

        InChannels = inChannels;
        OutChannels = outChannels;
        Depths = d.ToArray();
        FeatureSizes = f.ToArray();
        HiddenSize = hiddenSize;

        encoder1 = new UnetrBasicBlock(inChannels, f[0], DecoderKernelSize, stride: 1);
        encoder2 = new UnetrBasicBlock(f[0], f[1], DecoderKernelSize, stride: 1);
        encoder3 = new UnetrBasicBlock(f[1], f[2], DecoderKernelSize, stride: 1);
        encoder4 = new UnetrBasicBlock(f[2], f[3], DecoderKernelSize, stride: 1);
        encoder5 = new UnetrBasicBlock(f[3], hiddenSize, DecoderKernelSize, stride: 1);
        decoder5 = new UnetrUpBlock(hiddenSize, f[3], DecoderKernelSize, UpsampleKernelSize);
        decoder4 = new UnetrUpBlock(f[3], f[2], DecoderKernelSize, UpsampleKernelSize);
        decoder3 = new UnetrUpBlock(f[2], f[1], DecoderKernelSize, UpsampleKernelSize);
        decoder2 = new UnetrUpBlock(f[1], f[0], DecoderKernelSize, UpsampleKernelSize);
        decoder1 = new UnetrBasicBlock(f[0], f[0], DecoderKernelSize, stride: 1);
        @out = new UnetOutBlock(headChannels, outChannels);
    }

    /// <inheritdoc />
    public override int InChannels { get; }

    /// <inheritdoc />
    public override int OutChannels { get; }

    /// <inheritdoc />
    public override int SpatialDivisor => 1 << StageCount;

    /// <summary>Blocks per encoder stage.</summary>
    public IReadOnlyList<int> Depths { get; }

    /// <summary>Channels per encoder stage.</summary>
    public IReadOnlyList<int> FeatureSizes { get; }

    /// <summary>Bottleneck channels.</summary>
    public int HiddenSize { get; }

    /// <summary>The encoder's four normalised outputs (1/2 … 1/16 resolution) for an already checked input.</summary>
    protected abstract IReadOnlyList<Tensor> Encode(Tensor input);

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> EncoderFeatures(Tensor input)
    {
        CheckInput(input);
        return Encode(input);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        var outs = Encode(input);

        var enc1 = encoder1.call(input);
        var enc2 = encoder2.call(outs[0]);
        var enc3 = encoder3.call(outs[1]);
        var enc4 = encoder4.call(outs[2]);
        var encHidden = encoder5.call(outs[3]);

        var dec3 = decoder5.call(encHidden, enc4);
        var dec2 = decoder4.call(dec3, enc3);
        var dec1 = decoder3.call(dec2, enc2);
        var dec0 = decoder2.call(dec1, enc1);
        var refined = decoder1.call(dec0);
        return @out.call(refined);
    }
}
