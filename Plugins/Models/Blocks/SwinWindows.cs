using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The window geometry of MONAI's 3-D Swin transformer (swin_unetr.py: <c>get_window_size</c>,
/// <c>window_partition</c>, <c>window_reverse</c>, <c>compute_mask</c>), on channels-last tensors [B, D, H, W, C].
/// </summary>
public static class SwinWindows
{
    /// <summary>Value MONAI's shifted-window mask adds to the logits of token pairs from different regions.</summary>
    public const float MaskedLogit = -100f;

    /// <summary>
    /// MONAI's <c>get_window_size</c>: along every axis whose extent is at most the configured window, the window
    /// shrinks to the extent and the shift becomes 0; other axes keep the configured window and shift.
    /// </summary>
    /// <param name="extents">Feature-map extents (D, H, W) before padding.</param>
    /// <param name="window">Configured window per axis.</param>
    /// <param name="shift">Configured shift per axis.</param>
    public static (int[] Window, int[] Shift) Effective(IReadOnlyList<long> extents, IReadOnlyList<int> window, IReadOnlyList<int> shift)
    {
        var useWindow = window.ToArray();
        var useShift = shift.ToArray();
        for (int axis = 0; axis < extents.Count; axis++)
        {
            if (extents[axis] > window[axis]) continue;
            useWindow[axis] = (int)extents[axis];
            useShift[axis] = 0;
        }
        return (useWindow, useShift);
    }

    /// <summary>The extent after padding up to a multiple of the window: ⌈extent / window⌉ · window.</summary>
    public static long Padded(long extent, int window) => (extent + window - 1) / window * window;

    /// <summary>
    /// Splits [B, D, H, W, C] (each extent a multiple of its window) into windows [B·nW, Wd·Wh·Ww, C]; windows are
    /// ordered batch first, then d, h, w; tokens inside a window in d, h, w order.
    /// </summary>
    public static Tensor Partition(Tensor x, IReadOnlyList<int> window)
    {
        long b = x.shape[0], d = x.shape[1], h = x.shape[2], w = x.shape[3], c = x.shape[4];
        return x.view(b, d / window[0], window[0], h / window[1], window[1], w / window[2], window[2], c)
            .permute(0, 1, 3, 5, 2, 4, 6, 7)
            .contiguous()
            .view(-1, (long)window[0] * window[1] * window[2], c);
    }

    /// <summary>The inverse of <see cref="Partition"/>: windows [B·nW, N, C] back to [B, D, H, W, C].</summary>
    public static Tensor Reverse(Tensor windows, IReadOnlyList<int> window, long b, long d, long h, long w)
    {
        return windows.view(b, d / window[0], h / window[1], w / window[2], window[0], window[1], window[2], -1)
            .permute(0, 1, 4, 2, 5, 3, 6, 7)
            .contiguous()
            .view(b, d, h, w, -1);
    }

    /// <summary>
    /// The region labels of MONAI's <c>compute_mask</c>, window by window: the padded grid is labelled with 27 regions
    /// (per axis the Python slices <c>[:-window]</c>, <c>[-window:-shift]</c>, <c>[-shift:]</c>, assigned in that
    /// nested order, later ones overwriting earlier ones) and partitioned into windows. Returns [nW, N] float32 on the
    /// CPU, windows and tokens in <see cref="Partition"/> order.
    /// </summary>
    /// <remarks>
    /// A shift of 0 on an axis reproduces Python's slice semantics exactly: <c>[-window:-0]</c> is empty and
    /// <c>[-0:]</c> is the whole axis, so that axis ends up with one label, as in MONAI.
    /// </remarks>
    /// <param name="padded">The padded extents (Dp, Hp, Wp), multiples of the window.</param>
    /// <param name="window">Effective window per axis.</param>
    /// <param name="shift">Effective shift per axis.</param>
    public static Tensor RegionLabels(IReadOnlyList<long> padded, IReadOnlyList<int> window, IReadOnlyList<int> shift)
    {
        int dp = checked((int)padded[0]), hp = checked((int)padded[1]), wp = checked((int)padded[2]);
        var labels = new float[(long)dp * hp * wp];
        float label = 0;
        foreach (var (d0, d1) in Regions(dp, window[0], shift[0]))
        foreach (var (h0, h1) in Regions(hp, window[1], shift[1]))
        foreach (var (w0, w1) in Regions(wp, window[2], shift[2]))
        {
            for (int d = d0; d < d1; d++)
            for (int h = h0; h < h1; h++)
            for (int w = w0; w < w1; w++)
                labels[((long)d * hp + h) * wp + w] = label;
            label++;
        }

        using var scope = NewDisposeScope();
        var grid = tensor(labels).view(1, dp, hp, wp, 1);
        return Partition(grid, window).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MONAI's <c>compute_mask</c>: [nW, N, N] float32 on the CPU with 0 where two tokens of a window share a region
    /// label (<see cref="RegionLabels"/>) and <see cref="MaskedLogit"/> elsewhere.
    /// </summary>
    /// <param name="padded">The padded extents (Dp, Hp, Wp), multiples of the window.</param>
    /// <param name="window">Effective window per axis.</param>
    /// <param name="shift">Effective shift per axis.</param>
    public static Tensor RegionMask(IReadOnlyList<long> padded, IReadOnlyList<int> window, IReadOnlyList<int> shift)
    {
        using var scope = NewDisposeScope();
        return MaskOf(RegionLabels(padded, window, shift)).MoveToOuterDisposeScope();
    }

    /// <summary>The additive masks [..., N, N] (0 or <see cref="MaskedLogit"/>) of label rows [..., N].</summary>
    public static Tensor MaskOf(Tensor labels)
    {
        var difference = labels.unsqueeze(-2) - labels.unsqueeze(-1);
        return zeros_like(difference).masked_fill_(difference.ne(0), MaskedLogit);
    }

    /// <summary>The three index ranges [start, stop) of one axis, as Python evaluates the slices.</summary>
    private static IEnumerable<(int Start, int Stop)> Regions(int extent, int window, int shift)
    {
        yield return PythonSlice(extent, null, -window);
        yield return PythonSlice(extent, -window, -shift);
        yield return PythonSlice(extent, -shift, null);
    }

    /// <summary>The range <c>[start:stop]</c> selects on an axis of <paramref name="extent"/> (negative: from the end; 0 is 0).</summary>
    private static (int Start, int Stop) PythonSlice(int extent, int? start, int? stop)
    {
        static int Resolve(int index, int extent) => Math.Clamp(index < 0 ? index + extent : index, 0, extent);
        int from = start is { } s ? Resolve(s, extent) : 0;
        int to = stop is { } e ? Resolve(e, extent) : extent;
        return (from, Math.Max(from, to));
    }
}
