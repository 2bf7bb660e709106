using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>SwinTransformerBlock</c> (swin_unetr.py), 3-D, on channels-last maps [B, D, H, W, C]:
/// <list type="number">
/// <item><c>norm1</c> (LayerNorm, eps 1e-5), then zero-padding on the far side of each axis up to a multiple of
/// the effective window. The padding comes after the norm and is never masked: padded tokens take part in
/// attention with keys and values equal to the <c>qkv</c> bias, as in MONAI.</item>
/// <item>When the effective shift is non-zero on any axis: roll by −shift and attend with the stage's region
/// mask; otherwise attend without a mask.</item>
/// <item>Window attention (<c>attn</c>), windows merged back, roll by +shift, padding cropped.</item>
/// <item><c>x = shortcut + drop_path(x)</c>; <c>x = x + drop_path(mlp(norm2(x)))</c>.</item>
/// </list>
/// The effective window and shift follow <see cref="SwinWindows.Effective"/>: an axis no longer than the window
/// uses its extent as the window and no shift. Keys: <c>norm1.*</c>, <c>attn.*</c> (see
/// <see cref="WindowAttention"/>), <c>norm2.*</c>, <c>mlp.linear1|linear2.*</c>.
/// </summary>
public sealed class SwinTransformerBlock : nn.Module<Tensor, SwinWindowMask?, Tensor>
{
    /// <summary>Epsilon of the block's LayerNorms (PyTorch's default, as MONAI).</summary>
    public const double NormEpsilon = 1e-5;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>LayerNorm before attention.</summary>
    public readonly LayerNorm norm1;
    /// <summary>Window attention.</summary>
    public readonly WindowAttention attn;
    /// <summary>Stochastic depth on both residual branches.</summary>
    public readonly DropPath drop_path;
    /// <summary>LayerNorm before the MLP.</summary>
    public readonly LayerNorm norm2;
    /// <summary>The MLP.</summary>
    public readonly SwinMlpBlock mlp;
#pragma warning restore IDE1006

    private readonly int[] _window;
    private readonly int[] _shift;

    /// <param name="channels">Channels C.</param>
    /// <param name="heads">Attention heads (C must be a multiple).</param>
    /// <param name="window">Configured window (Wd, Wh, Ww).</param>
    /// <param name="shift">Configured shift per axis (SwinUNETR: 0 in even blocks, window / 2 in odd ones).</param>
    /// <param name="mlpRatio">MLP hidden width over C; the width is ⌊C · ratio⌋ as in Python's <c>int()</c>.</param>
    /// <param name="qkvBias">Whether the attention's <c>qkv</c> has a bias.</param>
    /// <param name="dropout">Dropout after the attention projection and inside the MLP.</param>
    /// <param name="attentionDropout">Dropout on the attention probabilities.</param>
    /// <param name="dropPath">Drop-path probability of both residual branches.</param>
    /// <param name="attentionPath">How the attention is computed.</param>
    public SwinTransformerBlock(int channels, int heads, IReadOnlyList<int> window, IReadOnlyList<int> shift, double mlpRatio = 4.0,
        bool qkvBias = true, double dropout = 0, double attentionDropout = 0, double dropPath = 0,
        WindowAttentionPath attentionPath = WindowAttentionPath.ScaledDotProduct) : base(nameof(SwinTransformerBlock))
    {
        if (shift.Count != 3 || shift.Any(s => s < 0))
            throw new ArgumentException($"shift must list 3 sizes >= 0, got [{string.Join(", ", shift)}].", nameof(shift));
        _window = window.ToArray();
        _shift = shift.ToArray();
        norm1 = nn.LayerNorm(channels, eps: NormEpsilon);
        attn = new WindowAttention(channels, heads, window, qkvBias, attentionDropout, dropout, attentionPath);
        drop_path = new DropPath(dropPath);
        norm2 = nn.LayerNorm(channels, eps: NormEpsilon);
        mlp = new SwinMlpBlock(channels, (int)Math.Floor(channels * mlpRatio), dropout);
        RegisterComponents();
    }

    /// <summary>The configured shift per axis.</summary>
    public IReadOnlyList<int> Shift => _shift;

    /// <summary>
    /// Whether training forwards recompute the attention and MLP branches in the backward pass instead of keeping
    /// their activations (<see cref="ActivationCheckpoint"/>; MONAI's <c>use_checkpoint</c>). Results are the same.
    /// </summary>
    public bool UseCheckpoint { get; set; }

    /// <summary>Runs the block.</summary>
    /// <param name="input">[B, D, H, W, C].</param>
    /// <param name="regionMask">
    /// The stage's shifted-window mask for this map (see <see cref="SwinRegionMaskCache"/>); used only when the
    /// effective shift is non-zero.
    /// </param>
    public override Tensor forward(Tensor input, SwinWindowMask? regionMask)
    {
        bool checkpoint = UseCheckpoint && is_grad_enabled() && input.requires_grad;
        var attended = checkpoint
            ? ActivationCheckpoint.Run(input, x => AttendWindows(x, regionMask))
            : AttendWindows(input, regionMask);
        var x = input + drop_path.call(attended);
        return x + (checkpoint ? ActivationCheckpoint.Run(x, FeedForward) : FeedForward(x));
    }

    /// <summary>MONAI's <c>forward_part1</c>: norm, pad, (shift), window attention, (unshift), crop.</summary>
    private Tensor AttendWindows(Tensor input, SwinWindowMask? regionMask)
    {
        long b = input.shape[0], d = input.shape[1], h = input.shape[2], w = input.shape[3], c = input.shape[4];
        var (window, shift) = SwinWindows.Effective(new[] { d, h, w }, _window, _shift);
        var x = norm1.call(input);
        long padD = SwinWindows.Padded(d, window[0]) - d, padH = SwinWindows.Padded(h, window[1]) - h, padW = SwinWindows.Padded(w, window[2]) - w;
        if (padD > 0 || padH > 0 || padW > 0)
            x = nn.functional.pad(x, new long[] { 0, 0, 0, padW, 0, padH, 0, padD });
        long dp = x.shape[1], hp = x.shape[2], wp = x.shape[3];

        bool shifted = shift.Any(s => s > 0);
        if (shifted && regionMask is null)
            throw new ArgumentException($"{nameof(SwinTransformerBlock)}: shifted windows ({string.Join(", ", shift)}) need the stage's region mask.");
        if (shifted)
            x = x.roll(new long[] { -shift[0], -shift[1], -shift[2] }, new long[] { 1, 2, 3 });
        var windows = SwinWindows.Partition(x, window);
        var attended = attn.call(windows, shifted ? regionMask : null);
        x = SwinWindows.Reverse(attended, window, b, dp, hp, wp);
        if (shifted)
            x = x.roll(new long[] { shift[0], shift[1], shift[2] }, new long[] { 1, 2, 3 });
        if (padD > 0 || padH > 0 || padW > 0)
            x = x.slice(1, 0, d, 1).slice(2, 0, h, 1).slice(3, 0, w, 1).contiguous();
        return x;
    }

    /// <summary>MONAI's <c>forward_part2</c>: drop_path(mlp(norm2(x))).</summary>
    private Tensor FeedForward(Tensor x) => drop_path.call(mlp.call(norm2.call(x)));
}
