using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>WindowAttention</c> (swin_unetr.py), 3-D: multi-head self-attention inside each window with a learned
/// relative-position bias. <c>qkv</c> (C → 3C) splits into heads of C / heads channels; the logits are
/// Q·Kᵀ·(C / heads)^−½ plus the bias, plus the shifted-window mask when one is given; softmax; attention dropout;
/// ·V; <c>proj</c> (C → C); dropout. Keys: <c>relative_position_bias_table</c> [(2Wd−1)(2Wh−1)(2Ww−1), heads],
/// <c>relative_position_index</c> (int64 buffer [N, N], N = Wd·Wh·Ww of the configured window),
/// <c>qkv.weight|bias</c>, <c>proj.weight|bias</c>.
/// </summary>
/// <remarks>
/// As in MONAI, the index is built once for the configured window; when the effective window is smaller (a stage
/// whose feature map is not larger than the window), the bias is looked up with the top-left corner
/// <c>relative_position_index[:n, :n]</c> of that index, not with an index rebuilt for the smaller window. Trained
/// weights depend on this, so it is reproduced.
/// </remarks>
public sealed class WindowAttention : nn.Module<Tensor, SwinWindowMask?, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>One learned bias per head for every relative offset inside a window.</summary>
    public readonly Parameter relative_position_bias_table;
    /// <summary>For each token pair (i, j) of a configured window, the row of the bias table (int64 buffer).</summary>
    public readonly Tensor relative_position_index;
    /// <summary>Query, key and value projection, C → 3C.</summary>
    public readonly Linear qkv;
    /// <summary>Dropout on the attention probabilities.</summary>
    public readonly Dropout attn_drop;
    /// <summary>Output projection, C → C.</summary>
    public readonly Linear proj;
    /// <summary>Dropout after the output projection.</summary>
    public readonly Dropout proj_drop;
#pragma warning restore IDE1006

    private readonly double _attentionDropout;

    /// <param name="channels">Channels C; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="window">Configured window (Wd, Wh, Ww).</param>
    /// <param name="qkvBias">Whether <c>qkv</c> has a bias (SwinUNETR: true).</param>
    /// <param name="attentionDropout">Dropout probability of the attention probabilities in training.</param>
    /// <param name="projectionDropout">Dropout probability after <c>proj</c> in training.</param>
    /// <param name="path">How the attention is computed (same result either way).</param>
    public WindowAttention(int channels, int heads, IReadOnlyList<int> window, bool qkvBias = true, double attentionDropout = 0,
        double projectionDropout = 0, WindowAttentionPath path = WindowAttentionPath.ScaledDotProduct) : base(nameof(WindowAttention))
    {
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, "num_heads must be positive.");
        if (channels <= 0 || channels % heads != 0)
            throw new ArgumentException($"channels ({channels}) must be a positive multiple of num_heads ({heads}).", nameof(channels));
        if (window.Count != 3 || window.Any(size => size <= 0))
            throw new ArgumentException($"window must list 3 positive sizes, got [{string.Join(", ", window)}].", nameof(window));
        Channels = channels;
        Heads = heads;
        Window = window.ToArray();
        Scale = Math.Pow(channels / heads, -0.5);
        Path = path;
        _attentionDropout = attentionDropout;

        long tableRows = (2L * window[0] - 1) * (2L * window[1] - 1) * (2L * window[2] - 1);
        relative_position_bias_table = new Parameter(zeros(tableRows, heads));
        using (no_grad())
            nn.init.trunc_normal_(relative_position_bias_table, std: 0.02);
        relative_position_index = RelativePositionIndex(Window);
        qkv = nn.Linear(channels, 3L * channels, hasBias: qkvBias);
        attn_drop = nn.Dropout(attentionDropout);
        proj = nn.Linear(channels, channels);
        proj_drop = nn.Dropout(projectionDropout);
        RegisterComponents();
    }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <summary>The configured window (Wd, Wh, Ww).</summary>
    public IReadOnlyList<int> Window { get; }

    /// <summary>Logit scale (C / heads)^−½.</summary>
    public double Scale { get; }

    /// <summary>How the attention is computed; may be changed at any time.</summary>
    public WindowAttentionPath Path { get; set; }

    /// <summary>
    /// The relative-position index of a window (MONAI's construction): for tokens i, j in d, h, w order with
    /// coordinates (d, h, w), (Δd + Wd − 1)·(2Wh − 1)·(2Ww − 1) + (Δh + Wh − 1)·(2Ww − 1) + (Δw + Ww − 1), where
    /// Δ = coordinate of i − coordinate of j. Shape [N, N], int64.
    /// </summary>
    public static Tensor RelativePositionIndex(IReadOnlyList<int> window)
    {
        int wd = window[0], wh = window[1], ww = window[2];
        int n = wd * wh * ww;
        var coordinates = new (int D, int H, int W)[n];
        for (int d = 0, t = 0; d < wd; d++)
        for (int h = 0; h < wh; h++)
        for (int w = 0; w < ww; w++)
            coordinates[t++] = (d, h, w);
        long dStride = (2L * wh - 1) * (2L * ww - 1), hStride = 2L * ww - 1;
        var index = new long[(long)n * n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            var (a, b) = (coordinates[i], coordinates[j]);
            index[(long)i * n + j] = (a.D - b.D + wd - 1) * dStride + (a.H - b.H + wh - 1) * hStride + (a.W - b.W + ww - 1);
        }
        return tensor(index, new long[] { n, n });
    }

    /// <summary>
    /// The relative-position bias for windows of <paramref name="tokens"/> tokens: [heads, n, n], looked up with
    /// <c>relative_position_index[:n, :n]</c>.
    /// </summary>
    public Tensor PositionBias(long tokens)
    {
        var index = relative_position_index.slice(0, 0, tokens, 1).slice(1, 0, tokens, 1).reshape(-1);
        // Contiguous, as in MONAI: adding the strided permutation to the [nW, heads, n, n] logits or mask directly is
        // several times slower than the copy.
        return relative_position_bias_table.index_select(0, index).view(tokens, tokens, -1).permute(2, 0, 1).contiguous();
    }

    /// <summary>Attention inside every window.</summary>
    /// <param name="windows">[B·nW, n, C]: the windows of B feature maps, batch first (as <see cref="SwinWindows.Partition"/> orders them).</param>
    /// <param name="regionMask">The shifted-window mask of the map (nW windows), or null for unshifted windows.</param>
    /// <returns>[B·nW, n, C].</returns>
    public override Tensor forward(Tensor windows, SwinWindowMask? regionMask)
    {
        long batchWindows = windows.shape[0], tokens = windows.shape[1], channels = windows.shape[2];
        if (channels != Channels)
            throw new ArgumentException($"{nameof(WindowAttention)}: expected {Channels} channels, got [{string.Join(", ", windows.shape)}].");
        if (tokens > relative_position_index.shape[0])
            throw new ArgumentException(
                $"{nameof(WindowAttention)}: windows of {tokens} tokens exceed the configured window of {relative_position_index.shape[0]}.");
        if (regionMask is not null && (batchWindows % regionMask.WindowCount != 0 || regionMask.Full.shape[1] != tokens))
            throw new ArgumentException(
                $"{nameof(WindowAttention)}: a mask of {regionMask.WindowCount} windows of {regionMask.Full.shape[1]} tokens does not fit [{string.Join(", ", windows.shape)}].");
        long headChannels = channels / Heads;
        var projected = qkv.call(windows).reshape(batchWindows, tokens, 3, Heads, headChannels).permute(2, 0, 3, 1, 4);
        Tensor q = projected[0], k = projected[1], v = projected[2];
        var bias = PositionBias(tokens);

        var attended = Path == WindowAttentionPath.Explicit
            ? Explicit(q, k, v, bias, regionMask?.Full)
            : Fused(q, k, v, bias, regionMask);
        var output = attended.transpose(1, 2).reshape(batchWindows, tokens, channels);
        return proj_drop.call(proj.call(output));
    }

    private Tensor Explicit(Tensor q, Tensor k, Tensor v, Tensor bias, Tensor? regionMask)
    {
        long batchWindows = q.shape[0], tokens = q.shape[2];
        var logits = (q * Scale).matmul(k.transpose(-2, -1)) + bias.unsqueeze(0);
        if (regionMask is not null)
        {
            long windowsPerMap = regionMask.shape[0];
            logits = logits.view(batchWindows / windowsPerMap, windowsPerMap, Heads, tokens, tokens) + regionMask.unsqueeze(1).unsqueeze(0);
            logits = logits.view(-1, Heads, tokens, tokens);
        }
        var probabilities = attn_drop.call(logits.softmax(-1)).to_type(v.dtype);
        return probabilities.matmul(v);
    }

    /// <summary>
    /// The fused path. Unshifted windows share the bias as their mask. Shifted windows are attended group by group
    /// (<see cref="SwinWindowMask.Groups"/>), each group with bias + its one region pattern broadcast over its windows,
    /// and the results are put back into window order; this equals adding MONAI's [nW, n, n] mask to every window.
    /// </summary>
    private Tensor Fused(Tensor q, Tensor k, Tensor v, Tensor bias, SwinWindowMask? regionMask)
    {
        double dropout = training ? _attentionDropout : 0;
        if (regionMask is null)
            return nn.functional.scaled_dot_product_attention(q, k, v, bias.unsqueeze(0), dropout);

        long batchWindows = q.shape[0], tokens = q.shape[2], headChannels = q.shape[3];
        long windowsPerMap = regionMask.WindowCount, maps = batchWindows / windowsPerMap;
        if (regionMask.Groups.Count == 1)
            return nn.functional.scaled_dot_product_attention(q, k, v, (bias + regionMask.Groups[0].Mask).unsqueeze(0), dropout);

        var byMap = new[] { maps, windowsPerMap, (long)Heads, tokens, headChannels };
        Tensor qMaps = q.reshape(byMap), kMaps = k.reshape(byMap), vMaps = v.reshape(byMap);
        var parts = new List<Tensor>(regionMask.Groups.Count);
        foreach (var (members, pattern) in regionMask.Groups)
        {
            long count = members.shape[0];
            var grouped = new[] { maps * count, (long)Heads, tokens, headChannels };
            var attended = nn.functional.scaled_dot_product_attention(
                qMaps.index_select(1, members).reshape(grouped), kMaps.index_select(1, members).reshape(grouped),
                vMaps.index_select(1, members).reshape(grouped), (bias + pattern).unsqueeze(0), dropout);
            parts.Add(attended.reshape(maps, count, Heads, tokens, headChannels));
        }
        return cat(parts, 1).index_select(1, regionMask.Inverse).reshape(batchWindows, Heads, tokens, headChannels);
    }
}
