using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's 3-D <c>SwinTransformer</c> (swin_unetr.py; the <c>swinViT</c> submodule of <c>SwinUNETR</c>):
/// <c>patch_embed</c> (<see cref="SwinPatchEmbedding"/>, E = feature size, 1/p resolution) → <c>pos_drop</c> →
/// four stages <c>layers1..4</c> (<see cref="SwinBasicLayer"/>, each one element of a ModuleList as in MONAI),
/// stage i working on E·2^i channels with num_heads[i] heads and ending in a patch merging. With
/// <c>use_v2</c>, a residual conv block <c>layers{i}c</c> (<see cref="UnetrBasicBlock"/>, E·2^(i−1) → same, instance
/// norm) runs before each stage. The five hidden states are the embedding and the four stage outputs (E … 16E
/// channels, 1/p … 1/(16p) resolution), each passed through a non-affine LayerNorm over channels (eps 1e-5) when
/// normalising; the next stage always reads the un-normalised tensor. Keys: <c>patch_embed.proj.*</c>,
/// <c>layers{1..4}.0.*</c>, and with v2 <c>layers{1..4}c.0.layer.*</c>.
/// </summary>
public sealed class SwinTransformer : nn.Module<Tensor, bool, IReadOnlyList<Tensor>>
{
    /// <summary>Number of stages (MONAI's SwinUNETR wires exactly four).</summary>
    public const int StageCount = 4;

    /// <summary>Epsilon of the hidden-state normalisation (<c>F.layer_norm</c>'s default).</summary>
    public const double OutputNormEpsilon = 1e-5;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Patch embedding.</summary>
    public readonly SwinPatchEmbedding patch_embed;
    /// <summary>Dropout after the embedding.</summary>
    public readonly Dropout pos_drop;
    /// <summary>Stage 1 (E channels).</summary>
    public readonly ModuleList<SwinBasicLayer> layers1;
    /// <summary>Stage 2 (2E channels).</summary>
    public readonly ModuleList<SwinBasicLayer> layers2;
    /// <summary>Stage 3 (4E channels).</summary>
    public readonly ModuleList<SwinBasicLayer> layers3;
    /// <summary>Stage 4 (8E channels).</summary>
    public readonly ModuleList<SwinBasicLayer> layers4;
    /// <summary>v2 only: residual conv block before stage 1, else null.</summary>
    public readonly ModuleList<UnetrBasicBlock>? layers1c;
    /// <summary>v2 only: residual conv block before stage 2, else null.</summary>
    public readonly ModuleList<UnetrBasicBlock>? layers2c;
    /// <summary>v2 only: residual conv block before stage 3, else null.</summary>
    public readonly ModuleList<UnetrBasicBlock>? layers3c;
    /// <summary>v2 only: residual conv block before stage 4, else null.</summary>
    public readonly ModuleList<UnetrBasicBlock>? layers4c;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input image channels.</param>
    /// <param name="embeddingChannels">E, the channels of the embedding and of stage 1 (SwinUNETR: feature_size).</param>
    /// <param name="depths">Transformer blocks per stage, 4 entries.</param>
    /// <param name="heads">Attention heads per stage, 4 entries; E·2^i must be a multiple of heads[i].</param>
    /// <param name="window">Configured cubic window.</param>
    /// <param name="patchSize">Cubic patch size of the embedding.</param>
    /// <param name="mlpRatio">MLP hidden width over the channels.</param>
    /// <param name="qkvBias">Whether the attention's <c>qkv</c> has a bias.</param>
    /// <param name="dropout">Dropout after the embedding, the attention projections and inside the MLPs.</param>
    /// <param name="attentionDropout">Dropout on the attention probabilities.</param>
    /// <param name="dropPathRate">Largest drop-path probability; block b of B gets rate·b/(B−1) (torch.linspace(0, rate, B)).</param>
    /// <param name="mergingOrder">Sub-grid order of the patch mergings.</param>
    /// <param name="useV2">Whether to add the residual conv blocks <c>layers{i}c</c>.</param>
    /// <param name="attentionPath">How the attention is computed.</param>
    public SwinTransformer(int inChannels, int embeddingChannels, IReadOnlyList<int> depths, IReadOnlyList<int> heads, int window = 7,
        int patchSize = 2, double mlpRatio = 4.0, bool qkvBias = true, double dropout = 0, double attentionDropout = 0,
        double dropPathRate = 0, PatchMergingOrder mergingOrder = PatchMergingOrder.Merging, bool useV2 = false,
        WindowAttentionPath attentionPath = WindowAttentionPath.ScaledDotProduct) : base(nameof(SwinTransformer))
    {
        if (depths.Count != StageCount)
            throw new ArgumentException($"depths must have {StageCount} entries, got [{string.Join(", ", depths)}].", nameof(depths));
        if (heads.Count != StageCount)
            throw new ArgumentException($"num_heads must have {StageCount} entries, got [{string.Join(", ", heads)}].", nameof(heads));
        EmbeddingChannels = embeddingChannels;
        PatchSize = patchSize;
        UseV2 = useV2;

        int totalBlocks = depths.Sum();
        var rates = Enumerable.Range(0, totalBlocks)
            .Select(b => totalBlocks == 1 ? 0 : dropPathRate * b / (totalBlocks - 1))
            .ToArray();

        patch_embed = new SwinPatchEmbedding(inChannels, embeddingChannels, patchSize);
        pos_drop = nn.Dropout(dropout);
        var stages = new SwinBasicLayer[StageCount];
        for (int i = 0, first = 0; i < StageCount; first += depths[i], i++)
        {
            stages[i] = new SwinBasicLayer(embeddingChannels << i, depths[i], heads[i], window, rates[first..(first + depths[i])],
                mlpRatio, qkvBias, dropout, attentionDropout, mergingOrder, attentionPath);
        }
        layers1 = nn.ModuleList(stages[0]);
        layers2 = nn.ModuleList(stages[1]);
        layers3 = nn.ModuleList(stages[2]);
        layers4 = nn.ModuleList(stages[3]);
        if (useV2)
        {
            layers1c = nn.ModuleList(ResidualBlock(embeddingChannels));
            layers2c = nn.ModuleList(ResidualBlock(embeddingChannels << 1));
            layers3c = nn.ModuleList(ResidualBlock(embeddingChannels << 2));
            layers4c = nn.ModuleList(ResidualBlock(embeddingChannels << 3));
        }
        RegisterComponents();
    }

    /// <summary>E, the channels of the embedding.</summary>
    public int EmbeddingChannels { get; }

    /// <summary>Cubic patch size of the embedding.</summary>
    public int PatchSize { get; }

    /// <summary>Whether the v2 residual conv blocks are present.</summary>
    public bool UseV2 { get; }

    /// <summary>The four stages, in order.</summary>
    public IReadOnlyList<SwinBasicLayer> Stages => [layers1[0], layers2[0], layers3[0], layers4[0]];

    /// <summary>Every transformer block of every stage.</summary>
    public IEnumerable<SwinTransformerBlock> Blocks => Stages.SelectMany(stage => stage.blocks);

    /// <summary>The five hidden states: embedding, then stages 1–4.</summary>
    /// <param name="input">[B, C_in, D, H, W].</param>
    /// <param name="normalize">Whether each hidden state goes through the non-affine channel LayerNorm.</param>
    public override IReadOnlyList<Tensor> forward(Tensor input, bool normalize)
    {
        var x = pos_drop.call(patch_embed.call(input));
        var hidden = new Tensor[StageCount + 1];
        hidden[0] = Output(x, normalize);
        var before = new[] { layers1c, layers2c, layers3c, layers4c };
        var stages = Stages;
        for (int i = 0; i < StageCount; i++)
        {
            if (before[i] is { } residual) x = residual[0].call(x.contiguous());
            x = stages[i].call(x.contiguous());
            hidden[i + 1] = Output(x, normalize);
        }
        return hidden;
    }

    /// <summary>MONAI's <c>proj_out</c>: channel LayerNorm without affine when normalising, else the tensor itself.</summary>
    private static Tensor Output(Tensor x, bool normalize)
    {
        if (!normalize) return x;
        long channels = x.shape[1];
        return nn.functional.layer_norm(x.permute(0, 2, 3, 4, 1), new[] { channels }, eps: OutputNormEpsilon).permute(0, 4, 1, 2, 3);
    }

    private static UnetrBasicBlock ResidualBlock(int channels) => new(channels, channels, kernelSize: 3, stride: 1);
}
