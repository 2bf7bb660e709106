using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Nets;

/// <summary>
/// SwinUNETR (Hatamizadeh et al., 2022; MONAI <c>monai/networks/nets/swin_unetr.py</c>, <c>SwinUNETR</c>), 3-D:
/// a <see cref="SwinTransformer"/> encoder (<c>swinViT</c>) with a UNETR-style residual decoder (instance norm).
/// With feature size F: <c>encoder1</c> (image → F, full resolution), <c>encoder2..4</c> on hidden states 0..2
/// (F, 2F, 4F), <c>encoder10</c> on hidden state 4 (16F, the bottleneck); <c>decoder5</c> up-samples it and fuses
/// hidden state 3 directly (8F), <c>decoder4..2</c> fuse <c>encoder4..2</c>, <c>decoder1</c> fuses
/// <c>encoder1</c> at full resolution, and <c>out</c> maps F channels to class logits (no softmax). Every spatial
/// input size must be a multiple of patch_size^5 (32). State_dict keys equal MONAI's, including the
/// <c>relative_position_index</c> buffers, so MONAI checkpoints load 1:1.
/// </summary>
public sealed class SwinUnetr : SegmentationNetwork
{
    /// <summary>The only patch size the decoder supports: it up-samples by 2 at every level, as in MONAI.</summary>
    public const int SupportedPatchSize = 2;

    /// <summary>feature_size must be a multiple of this (MONAI's check).</summary>
    public const int FeatureSizeMultiple = 12;

    /// <summary>Kernel size of every encoder/decoder residual block.</summary>
    public const int DecoderKernelSize = 3;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The Swin transformer encoder.</summary>
    public readonly SwinTransformer swinViT;
    /// <summary>Image → F, full resolution.</summary>
    public readonly UnetrBasicBlock encoder1;
    /// <summary>Hidden state 0 → F, 1/2.</summary>
    public readonly UnetrBasicBlock encoder2;
    /// <summary>Hidden state 1 → 2F, 1/4.</summary>
    public readonly UnetrBasicBlock encoder3;
    /// <summary>Hidden state 2 → 4F, 1/8.</summary>
    public readonly UnetrBasicBlock encoder4;
    /// <summary>Hidden state 4 → 16F, 1/32 (the bottleneck).</summary>
    public readonly UnetrBasicBlock encoder10;
    /// <summary>16F → 8F, fused with hidden state 3, 1/16.</summary>
    public readonly UnetrUpBlock decoder5;
    /// <summary>8F → 4F, fused with encoder4's output, 1/8.</summary>
    public readonly UnetrUpBlock decoder4;
    /// <summary>4F → 2F, fused with encoder3's output, 1/4.</summary>
    public readonly UnetrUpBlock decoder3;
    /// <summary>2F → F, fused with encoder2's output, 1/2.</summary>
    public readonly UnetrUpBlock decoder2;
    /// <summary>F → F, fused with encoder1's output, full resolution.</summary>
    public readonly UnetrUpBlock decoder1;
    /// <summary>Segmentation head: F → out_channels logits.</summary>
    public readonly UnetOutBlock @out;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input image channels.</param>
    /// <param name="outChannels">Output classes including background.</param>
    /// <param name="featureSize">F, a positive multiple of 12 (MONAI's default 24; the papers use 48).</param>
    /// <param name="depths">Transformer blocks per stage, 4 entries (null: [2, 2, 2, 2]).</param>
    /// <param name="numHeads">Attention heads per stage, 4 entries (null: [3, 6, 12, 24]).</param>
    /// <param name="windowSize">Configured cubic attention window (7).</param>
    /// <param name="patchSize">Patch size of the embedding; only 2 is supported (see <see cref="SupportedPatchSize"/>).</param>
    /// <param name="mlpRatio">MLP hidden width over the channels (4).</param>
    /// <param name="qkvBias">Whether the attention's <c>qkv</c> has a bias (true).</param>
    /// <param name="dropRate">Dropout after the embedding, the attention projections and in the MLPs, in [0, 1].</param>
    /// <param name="attentionDropRate">Dropout on the attention probabilities, in [0, 1].</param>
    /// <param name="dropoutPathRate">Largest drop-path probability of the transformer blocks, in [0, 1).</param>
    /// <param name="normalize">Whether the hidden states get a non-affine channel LayerNorm before the decoder (true).</param>
    /// <param name="useV2">Whether to add a residual conv block before each Swin stage (SwinUNETR v2).</param>
    /// <param name="downsample">Sub-grid order of the patch mergings (see <see cref="PatchMergingOrder"/>).</param>
    /// <param name="useCheckpoint">Whether the transformer blocks use activation checkpointing in training.</param>
    /// <param name="attentionPath">How the window attention is computed (same result either way).</param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names the option.</exception>
    public SwinUnetr(int inChannels, int outChannels, int featureSize = 24, IReadOnlyList<int>? depths = null,
        IReadOnlyList<int>? numHeads = null, int windowSize = 7, int patchSize = SupportedPatchSize, double mlpRatio = 4.0,
        bool qkvBias = true, double dropRate = 0, double attentionDropRate = 0, double dropoutPathRate = 0, bool normalize = true,
        bool useV2 = false, PatchMergingOrder downsample = PatchMergingOrder.Merging, bool useCheckpoint = false,
        WindowAttentionPath attentionPath = WindowAttentionPath.ScaledDotProduct) : base(nameof(SwinUnetr))
    {
        var d = depths ?? new[] { 2, 2, 2, 2 };
        var heads = numHeads ?? new[] { 3, 6, 12, 24 };
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "in_channels must be positive.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "out_channels must be positive.");
        if (featureSize <= 0 || featureSize % FeatureSizeMultiple != 0)
            throw new ArgumentOutOfRangeException(nameof(featureSize), featureSize, $"feature_size must be a positive multiple of {FeatureSizeMultiple}.");
        if (patchSize != SupportedPatchSize)
            throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize,
                $"patch_size must be {SupportedPatchSize}: the decoder up-samples by 2 at every level, as in MONAI.");
        if (!(dropRate >= 0 && dropRate <= 1)) throw new ArgumentOutOfRangeException(nameof(dropRate), dropRate, "drop_rate must be in [0, 1].");
        if (!(attentionDropRate >= 0 && attentionDropRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(attentionDropRate), attentionDropRate, "attn_drop_rate must be in [0, 1].");
        if (!(dropoutPathRate >= 0 && dropoutPathRate < 1))
            throw new ArgumentOutOfRangeException(nameof(dropoutPathRate), dropoutPathRate, "dropout_path_rate must be in [0, 1).");

        InChannels = inChannels;
        OutChannels = outChannels;
        FeatureSize = featureSize;
        PatchSize = patchSize;
        Normalize = normalize;

        int f = featureSize;
        swinViT = new SwinTransformer(inChannels, f, d, heads, windowSize, patchSize, mlpRatio, qkvBias, dropRate, attentionDropRate,
            dropoutPathRate, downsample, useV2, attentionPath);
        encoder1 = new UnetrBasicBlock(inChannels, f, DecoderKernelSize, stride: 1);
        encoder2 = new UnetrBasicBlock(f, f, DecoderKernelSize, stride: 1);
        encoder3 = new UnetrBasicBlock(2 * f, 2 * f, DecoderKernelSize, stride: 1);
        encoder4 = new UnetrBasicBlock(4 * f, 4 * f, DecoderKernelSize, stride: 1);
        encoder10 = new UnetrBasicBlock(16 * f, 16 * f, DecoderKernelSize, stride: 1);
        decoder5 = new UnetrUpBlock(16 * f, 8 * f, DecoderKernelSize, upsampleKernelSize: 2);
        decoder4 = new UnetrUpBlock(8 * f, 4 * f, DecoderKernelSize, upsampleKernelSize: 2);
        decoder3 = new UnetrUpBlock(4 * f, 2 * f, DecoderKernelSize, upsampleKernelSize: 2);
        decoder2 = new UnetrUpBlock(2 * f, f, DecoderKernelSize, upsampleKernelSize: 2);
        decoder1 = new UnetrUpBlock(f, f, DecoderKernelSize, upsampleKernelSize: 2);
        @out = new UnetOutBlock(f, outChannels);
        RegisterComponents();
        UseCheckpoint = useCheckpoint;
    }

    /// <inheritdoc />
    public override int InChannels { get; }

    /// <inheritdoc />
    public override int OutChannels { get; }

    /// <summary>Feature size F.</summary>
    public int FeatureSize { get; }

    /// <summary>Patch size of the embedding.</summary>
    public int PatchSize { get; }

    /// <summary>Whether the hidden states are normalised before the decoder.</summary>
    public bool Normalize { get; }

    /// <summary>patch_size^5: the embedding and four patch mergings each halve every extent.</summary>
    public override int SpatialDivisor => (int)Math.Pow(PatchSize, SwinTransformer.StageCount + 1);

    /// <summary>Whether the transformer blocks recompute their activations in the backward pass (see <see cref="ActivationCheckpoint"/>).</summary>
    public bool UseCheckpoint
    {
        get => swinViT.Blocks.Any(block => block.UseCheckpoint);
        set
        {
            foreach (var block in swinViT.Blocks) block.UseCheckpoint = value;
        }
    }

    /// <summary>How the window attention is computed; setting it changes every block.</summary>
    public WindowAttentionPath AttentionPath
    {
        get => swinViT.Blocks.Select(block => block.attn.Path).FirstOrDefault();
        set
        {
            foreach (var block in swinViT.Blocks) block.attn.Path = value;
        }
    }

    /// <summary>The five hidden states the decoder reads (normalised when <see cref="Normalize"/>).</summary>
    public override IReadOnlyList<Tensor> EncoderFeatures(Tensor input)
    {
        CheckInput(input);
        return swinViT.call(input, Normalize);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        var hidden = swinViT.call(input, Normalize);
        var enc0 = encoder1.call(input);
        var enc1 = encoder2.call(hidden[0]);
        var enc2 = encoder3.call(hidden[1]);
        var enc3 = encoder4.call(hidden[2]);
        var dec4 = encoder10.call(hidden[4]);
        var dec3 = decoder5.call(dec4, hidden[3]);
        var dec2 = decoder4.call(dec3, enc3);
        var dec1 = decoder3.call(dec2, enc2);
        var dec0 = decoder2.call(dec1, enc1);
        var refined = decoder1.call(dec0, enc0);
        return @out.call(refined);
    }
}
