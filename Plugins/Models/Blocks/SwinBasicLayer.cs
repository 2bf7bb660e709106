using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>BasicLayer</c> (swin_unetr.py), 3-D: one stage of the Swin transformer. On [B, C, D, H, W] it
/// permutes to channels-last, runs <c>blocks</c> (even blocks unshifted, odd blocks shifted by window / 2), then
/// <c>downsample</c> (<see cref="PatchMerging"/>), and permutes back: output [B, 2C, D/2, H/2, W/2]. The
/// shifted-window region mask is built for the padded map once per shape and cached
/// (<see cref="SwinRegionMaskCache"/>). Keys: <c>blocks.{j}.*</c> (see <see cref="SwinTransformerBlock"/>),
/// <c>downsample.*</c>.
/// </summary>
public sealed class SwinBasicLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The transformer blocks.</summary>
    public readonly ModuleList<SwinTransformerBlock> blocks;
    /// <summary>The patch merging at the end of the stage.</summary>
    public readonly PatchMerging downsample;
#pragma warning restore IDE1006

    private readonly int[] _window;
    private readonly int[] _shift;
    private readonly SwinRegionMaskCache _masks = new();

    /// <param name="channels">Channels C of the stage.</param>
    /// <param name="depth">Number of transformer blocks.</param>
    /// <param name="heads">Attention heads (C must be a multiple).</param>
    /// <param name="window">Configured cubic window (SwinUNETR: 7); the shift of odd blocks is window / 2.</param>
    /// <param name="dropPath">Drop-path probability of each block, <paramref name="depth"/> entries.</param>
    /// <param name="mlpRatio">MLP hidden width over C.</param>
    /// <param name="qkvBias">Whether the attention's <c>qkv</c> has a bias.</param>
    /// <param name="dropout">Dropout after the attention projection and inside the MLPs.</param>
    /// <param name="attentionDropout">Dropout on the attention probabilities.</param>
    /// <param name="mergingOrder">Sub-grid order of <c>downsample</c>.</param>
    /// <param name="attentionPath">How the attention is computed.</param>
    public SwinBasicLayer(int channels, int depth, int heads, int window, IReadOnlyList<double> dropPath, double mlpRatio = 4.0,
        bool qkvBias = true, double dropout = 0, double attentionDropout = 0, PatchMergingOrder mergingOrder = PatchMergingOrder.Merging,
        WindowAttentionPath attentionPath = WindowAttentionPath.ScaledDotProduct) : base(nameof(SwinBasicLayer))
    {
        if (depth < 0) throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be >= 0.");
        if (window <= 0) throw new ArgumentOutOfRangeException(nameof(window), window, "window_size must be positive.");
        if (dropPath.Count != depth)
            throw new ArgumentException($"dropPath must list one rate per block ({depth}), got {dropPath.Count}.", nameof(dropPath));
        _window = [window, window, window];
        _shift = [window / 2, window / 2, window / 2];
        int[] noShift = [0, 0, 0];
        blocks = nn.ModuleList(Enumerable.Range(0, depth)
            .Select(j => new SwinTransformerBlock(channels, heads, _window, j % 2 == 0 ? noShift : _shift, mlpRatio, qkvBias, dropout,
                attentionDropout, dropPath[j], attentionPath))
            .ToArray());
        downsample = new PatchMerging(channels, mergingOrder);
        RegisterComponents();
    }

    /// <summary>The cache of region masks (exposed for tests and diagnostics).</summary>
    public SwinRegionMaskCache RegionMasks => _masks;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0], d = input.shape[2], h = input.shape[3], w = input.shape[4];
        var (window, shift) = SwinWindows.Effective(new[] { d, h, w }, _window, _shift);
        var x = input.permute(0, 2, 3, 4, 1);
        // Only shifted blocks read the mask; MONAI builds it regardless, which changes nothing.
        SwinWindowMask? mask = shift.Any(s => s > 0) && blocks.Any(block => block.Shift.Any(s => s > 0))
            ? _masks.Get(new[] { SwinWindows.Padded(d, window[0]), SwinWindows.Padded(h, window[1]), SwinWindows.Padded(w, window[2]) },
                window, shift, x.device, x.dtype)
            : null;
        foreach (var block in blocks)
            x = block.call(x, mask);
        return downsample.call(x).permute(0, 4, 1, 2, 3);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _masks.Dispose();
        base.Dispose(disposing);
    }
}
