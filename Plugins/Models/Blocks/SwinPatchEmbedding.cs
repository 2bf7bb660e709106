using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>PatchEmbed</c> (patchembedding.py) as SwinUNETR builds it (3-D, no norm): a <c>proj</c> Conv3d with
/// kernel = stride = patch size and a bias, after zero-padding each spatial extent on the far side up to a multiple
/// of the patch size. Keys: <c>proj.weight</c> [E, C_in, p, p, p], <c>proj.bias</c> [E].
/// </summary>
public sealed class SwinPatchEmbedding : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The patch projection.</summary>
    public readonly Conv3d proj;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input channels.</param>
    /// <param name="embeddingChannels">Embedding channels E (SwinUNETR: feature_size).</param>
    /// <param name="patchSize">Cubic patch size p (SwinUNETR: 2).</param>
    public SwinPatchEmbedding(int inChannels, int embeddingChannels, int patchSize) : base(nameof(SwinPatchEmbedding))
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "in_channels must be positive.");
        if (embeddingChannels <= 0) throw new ArgumentOutOfRangeException(nameof(embeddingChannels), embeddingChannels, "the embedding width must be positive.");
        if (patchSize <= 0) throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize, "patch_size must be positive.");
        PatchSize = patchSize;
        proj = nn.Conv3d(inChannels, embeddingChannels, patchSize, stride: patchSize);
        RegisterComponents();
    }

    /// <summary>Cubic patch size.</summary>
    public int PatchSize { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long d = input.shape[2], h = input.shape[3], w = input.shape[4];
        long padD = (PatchSize - d % PatchSize) % PatchSize, padH = (PatchSize - h % PatchSize) % PatchSize, padW = (PatchSize - w % PatchSize) % PatchSize;
        var x = padD + padH + padW > 0 ? nn.functional.pad(input, new long[] { 0, padW, 0, padH, 0, padD }) : input;
        return proj.call(x);
    }
}
