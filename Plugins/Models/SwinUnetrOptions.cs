using System.ComponentModel;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Models.Nets;

namespace Pipeline.Plugins.Models;

/// <summary>
/// Options of the <c>swin-unetr</c> backbone (YAML keys are the snake_case property names, which are MONAI's
/// argument names). Defaults are MONAI 1.5's, except <see cref="FeatureSize"/> (48, the papers' value, where MONAI
/// defaults to 24) and <see cref="OutChannels"/>, which is dataset-specific. MONAI's <c>norm_name="instance"</c>,
/// <c>spatial_dims=3</c>, <c>patch_norm=False</c> and <c>norm_layer=nn.LayerNorm</c> are fixed; <c>img_size</c> is
/// not needed (MONAI ≥ 1.3 checks the input at run time, as this backbone does: every spatial size must be a
/// multiple of 32).
/// </summary>
/// <remarks>
/// Weights trained with MONAI 0.9–1.4 (including the papers' SwinUNETR baselines and the shared parity fixtures)
/// need <c>downsample: merging-legacy</c>; see <see cref="PatchMergingOrder"/>.
/// </remarks>
public sealed class SwinUnetrOptions : IValidatableOptions
{
    /// <summary>Number of input image channels (1 for CT/MRI).</summary>
    [Description("Input image channels; 1 for CT/MRI.")]
    public int InChannels { get; set; } = 1;

    /// <summary>Number of output classes including background (default 2; FLARE 5, AMOS 16, FeTA 8, BTCV 14).</summary>
    [Description("Output classes including background. FLARE 5, AMOS 16, FeTA 8, BTCV 14.")]
    public int OutChannels { get; set; } = 2;

    /// <summary>Embedding width F, a multiple of 12 (default 48 as in the papers; MONAI's default is 24).</summary>
    [Description("Embedding width F (multiple of 12); stages use F, 2F, 4F, 8F channels. Papers: 48.")]
    public int FeatureSize { get; set; } = 48;

    /// <summary>Transformer blocks per stage, 4 entries (default [2, 2, 2, 2]).</summary>
    [Description("Swin transformer blocks per stage, 4 entries.")]
    public int[] Depths { get; set; } = [2, 2, 2, 2];

    /// <summary>Attention heads per stage, 4 entries (default [3, 6, 12, 24]); F·2^i must be a multiple of entry i.</summary>
    [Description("Attention heads per stage, 4 entries; feature_size * 2^i must be a multiple of entry i.")]
    public int[] NumHeads { get; set; } = [3, 6, 12, 24];

    /// <summary>Configured cubic attention window (default 7); stages whose map is not larger use the map's extent.</summary>
    [Description("Cubic attention window; shrinks to the feature map on small stages.")]
    public int WindowSize { get; set; } = 7;

    /// <summary>Patch size of the embedding (default 2, the only value the decoder supports, as in MONAI).</summary>
    [Description("Patch size of the embedding; only 2 (the decoder up-samples by 2 per level).")]
    public int PatchSize { get; set; } = SwinUnetr.SupportedPatchSize;

    /// <summary>MLP hidden width over the channels (default 4).</summary>
    [Description("MLP hidden width over the channels.")]
    public double MlpRatio { get; set; } = 4.0;

    /// <summary>Whether the attention's qkv projection has a bias (default true).</summary>
    [Description("Whether the attention's qkv projection has a bias.")]
    public bool QkvBias { get; set; } = true;

    /// <summary>Dropout after the embedding, the attention projections and inside the MLPs (default 0), in [0, 1].</summary>
    [Description("Dropout after the embedding, attention projections and in the MLPs, in [0, 1].")]
    public double DropRate { get; set; }

    /// <summary>Dropout on the attention probabilities (default 0), in [0, 1].</summary>
    [Description("Dropout on the attention probabilities, in [0, 1].")]
    public double AttnDropRate { get; set; }

    /// <summary>
    /// Largest stochastic-depth rate, spread linearly over the transformer blocks (default 0), in [0, 1). MONAI also
    /// accepts 1 (the last block's branches always dropped); that is refused here.
    /// </summary>
    [Description("Largest stochastic-depth rate over the transformer blocks, in [0, 1).")]
    public double DropoutPathRate { get; set; }

    /// <summary>Whether each skip feature gets a non-affine LayerNorm over channels (default true).</summary>
    [Description("Apply a non-affine channel LayerNorm to every skip feature.")]
    public bool Normalize { get; set; } = true;

    /// <summary>SwinUNETR v2: a residual conv block before each Swin stage (default false).</summary>
    [Description("SwinUNETR v2: add a residual conv block before each Swin stage.")]
    public bool UseV2 { get; set; }

    /// <summary>
    /// Sub-grid order of the patch mergings (default merging, MONAI ≥ 1.5). Use merging-legacy for weights from MONAI
    /// 0.9–1.4, mergingv2 for MONAI's "mergingv2".
    /// </summary>
    [Description("Patch-merging sub-grid order: merging (MONAI >= 1.5), merging-legacy (MONAI 0.9-1.4 weights), mergingv2.")]
    public PatchMergingOrder Downsample { get; set; } = PatchMergingOrder.Merging;

    /// <summary>Activation checkpointing of the transformer blocks in training: less memory, a second forward pass (default false).</summary>
    [Description("Activation checkpointing of the transformer blocks in training (less memory, slower).")]
    public bool UseCheckpoint { get; set; }

    /// <summary>How the window attention is computed (default scaled_dot_product; explicit is MONAI's sequence). Same result.</summary>
    [Description("Window attention implementation: scaled_dot_product (fused) or explicit (MONAI's sequence).")]
    public WindowAttentionPath AttentionPath { get; set; } = WindowAttentionPath.ScaledDotProduct;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (InChannels <= 0) yield return ("in_channels", $"must be positive, got {InChannels}.");
        if (OutChannels <= 0) yield return ("out_channels", $"must be positive, got {OutChannels}.");
        bool featureSizeValid = FeatureSize > 0 && FeatureSize % SwinUnetr.FeatureSizeMultiple == 0;
        if (!featureSizeValid)
            yield return ("feature_size", $"must be a positive multiple of {SwinUnetr.FeatureSizeMultiple} (e.g. 12, 24, 48), got {FeatureSize}.");

        if (Depths is null || Depths.Length != SwinTransformer.StageCount)
            yield return ("depths", $"must list {SwinTransformer.StageCount} block counts (one per stage), got {Describe(Depths)}.");
        else if (Depths.Any(depth => depth < 0))
            yield return ("depths", $"every entry must be >= 0, got {Describe(Depths)}.");

        if (NumHeads is null || NumHeads.Length != SwinTransformer.StageCount)
            yield return ("num_heads", $"must list {SwinTransformer.StageCount} head counts (one per stage), got {Describe(NumHeads)}.");
        else if (NumHeads.Any(heads => heads <= 0))
            yield return ("num_heads", $"every entry must be positive, got {Describe(NumHeads)}.");
        else if (featureSizeValid)
        {
            for (int i = 0; i < SwinTransformer.StageCount; i++)
            {
                int channels = FeatureSize << i;
                if (channels % NumHeads[i] != 0)
                    yield return ("num_heads", $"stage {i + 1} has {channels} channels (feature_size * 2^{i}), not a multiple of num_heads[{i}] = {NumHeads[i]}.");
            }
        }

        if (WindowSize <= 0) yield return ("window_size", $"must be positive, got {WindowSize}.");
        if (PatchSize != SwinUnetr.SupportedPatchSize)
            yield return ("patch_size", $"must be {SwinUnetr.SupportedPatchSize} (the decoder up-samples by 2 at every level, as in MONAI), got {PatchSize}.");
        if (!(MlpRatio > 0) || double.IsInfinity(MlpRatio) || (featureSizeValid && Math.Floor(FeatureSize * MlpRatio) < 1))
            yield return ("mlp_ratio", $"must be positive and give an MLP width of at least 1, got {MlpRatio}.");
        if (!(DropRate >= 0 && DropRate <= 1)) yield return ("drop_rate", $"must be in [0, 1], got {DropRate}.");
        if (!(AttnDropRate >= 0 && AttnDropRate <= 1)) yield return ("attn_drop_rate", $"must be in [0, 1], got {AttnDropRate}.");
        if (!(DropoutPathRate >= 0 && DropoutPathRate < 1)) yield return ("dropout_path_rate", $"must be in [0, 1), got {DropoutPathRate}.");
        if (!Enum.IsDefined(Downsample))
            yield return ("downsample", $"unknown value {(int)Downsample}; use merging, merging-legacy or mergingv2.");
        if (!Enum.IsDefined(AttentionPath))
            yield return ("attention_path", $"unknown value {(int)AttentionPath}; use scaled_dot_product or explicit.");
    }

    private static string Describe(int[]? values) => values is null ? "nothing" : $"[{string.Join(", ", values)}]";
}
