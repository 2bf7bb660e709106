using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// Whole-volume prediction with a network that sees only fixed-size windows, like MONAI's
/// <c>sliding_window_inference</c> with <c>mode="constant"</c>:
/// <list type="bullet">
/// <item>A volume smaller than the ROI along an axis is zero-padded symmetrically (floor before, the rest after)
/// and the padding is cropped from the result.</item>
/// <item>Along each axis windows start every max(1, ⌊roi · (1 − overlap)⌋) voxels; the last window is moved back so it
/// ends at the volume's end (so the whole volume is covered and no window sticks out).</item>
/// <item>Overlapping window outputs are averaged (constant blending).</item>
/// <item>Windows are run <c>sw_batch_size</c> at a time, each batch inside its own dispose scope, without gradients.</item>
/// </list>
/// The caller puts the network in eval mode.
/// </summary>
public sealed class SlidingWindowInference
{
    private readonly long[] _roiSize;

    /// <param name="roiSize">Window size (d, h, w), each ≥ 1.</param>
    /// <param name="overlap">Fraction of a window shared with its neighbour, in [0, 1).</param>
    /// <param name="windowBatchSize">Windows per network call (≥ 1).</param>
    public SlidingWindowInference(IReadOnlyList<int> roiSize, double overlap = 0.25, int windowBatchSize = 1)
    {
        if (roiSize is null || roiSize.Count != 3 || roiSize.Any(s => s < 1))
            throw new ArgumentException($"roi_size must be 3 positive sizes [d, h, w], got [{string.Join(", ", roiSize ?? [])}].", nameof(roiSize));
        if (!(overlap >= 0 && overlap < 1))
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "overlap must be in [0, 1).");
        if (windowBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(windowBatchSize), windowBatchSize, "sw_batch_size must be at least 1.");
        _roiSize = roiSize.Select(s => (long)s).ToArray();
        Overlap = overlap;
        WindowBatchSize = windowBatchSize;
    }

    /// <summary>Window size (d, h, w).</summary>
    public IReadOnlyList<long> RoiSize => _roiSize;

    /// <summary>Fraction of a window shared with its neighbour.</summary>
    public double Overlap { get; }

    /// <summary>Windows per network call.</summary>
    public int WindowBatchSize { get; }

    /// <summary>
    /// Start positions of the windows along one axis of length <paramref name="size"/> (≥ <paramref name="roi"/>).
    /// </summary>
    public static IReadOnlyList<long> WindowStarts(long size, long roi, double overlap)
    {
        if (size < roi) throw new ArgumentException($"The axis ({size}) must be padded to at least the ROI ({roi}) first.");
        long interval = Math.Max(1, (long)Math.Floor(roi * (1 - overlap)));
        var starts = new List<long>();
        for (long start = 0; start + roi < size; start += interval)
            starts.Add(start);
        starts.Add(size - roi); // the last window ends exactly at the volume's end
        return starts;
    }

    /// <summary>Predicts logits for a whole volume.</summary>
    /// <param name="network">Maps [B, C_in, d, h, w] windows to [B, C_out, d, h, w] logits.</param>
    /// <param name="image">[N, C_in, D, H, W].</param>
    /// <returns>[N, C_out, D, H, W] averaged logits, in the caller's dispose scope.</returns>
    public Tensor Predict(Func<Tensor, Tensor> network, Tensor image)
    {
        if (image.dim() != 5)
            throw new ArgumentException($"Sliding-window inference expects [N, C, D, H, W], got [{string.Join(", ", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        long[] size = image.shape[2..];
        var padBefore = new long[3];
        var padded = PadToRoi(image, size, padBefore);
        long[] paddedSize = padded.shape[2..];

        var windows = Windows(image.shape[0], paddedSize);
        var coverage = zeros([1, 1, .. paddedSize], image.dtype, image.device);
        foreach (var window in windows.Where(w => w.Item == 0))
            coverage[Region(window)].add_(1);

        Tensor? sum = null;
        foreach (var chunk in windows.Chunk(WindowBatchSize))
        {
            using var windowScope = NewDisposeScope();
            var input = cat(chunk.Select(w => padded[Region(w, w.Item)]).ToList(), 0);
            var output = network(input);
            if (output.dim() != 5 || output.shape[0] != chunk.Length || !output.shape[2..].SequenceEqual(_roiSize))
                throw new InvalidOperationException(
                    $"The network returned [{string.Join(", ", output.shape)}] for windows [{string.Join(", ", input.shape)}]; " +
                    "sliding-window inference needs outputs with the windows' batch and spatial size.");
            // The accumulator is created once the output channel count is known, in the outer scope.
            sum ??= zeros([image.shape[0], output.shape[1], .. paddedSize], output.dtype, output.device).MoveToOuterDisposeScope();
            for (int i = 0; i < chunk.Length; i++)
                sum[Region(chunk[i], chunk[i].Item)].add_(output[TensorIndex.Slice(i, i + 1)]);
        }

        var average = sum!.div_(coverage);
        var cropped = average[.., .., TensorIndex.Slice(padBefore[0], padBefore[0] + size[0]),
                              TensorIndex.Slice(padBefore[1], padBefore[1] + size[1]),
                              TensorIndex.Slice(padBefore[2], padBefore[2] + size[2])];
        return (paddedSize.SequenceEqual(size) ? average : cropped.contiguous()).MoveToOuterDisposeScope();
    }

    /// <summary>One window: which batch item, and where it starts.</summary>
    private readonly record struct Window(long Item, long D, long H, long W);

    private List<Window> Windows(long items, long[] paddedSize)
    {
        var starts = Enumerable.Range(0, 3).Select(axis => WindowStarts(paddedSize[axis], _roiSize[axis], Overlap)).ToArray();
        var windows = new List<Window>();
        for (long item = 0; item < items; item++)
            foreach (long d in starts[0])
            foreach (long h in starts[1])
            foreach (long w in starts[2])
                windows.Add(new Window(item, d, h, w));
        return windows;
    }

    /// <summary>The index of a window's region: batch item (kept as an axis, or 0 for the coverage map), all channels.</summary>
    private TensorIndex[] Region(Window window, long item = 0) =>
    [
        TensorIndex.Slice(item, item + 1), TensorIndex.Colon,
        TensorIndex.Slice(window.D, window.D + _roiSize[0]),
        TensorIndex.Slice(window.H, window.H + _roiSize[1]),
        TensorIndex.Slice(window.W, window.W + _roiSize[2]),
    ];

    /// <summary>Zero-pads each spatial axis shorter than the ROI symmetrically; records the padding before.</summary>
    private Tensor PadToRoi(Tensor image, long[] size, long[] padBefore)
    {
        var pad = new long[6];
        for (int axis = 0; axis < 3; axis++)
        {
            long missing = Math.Max(0, _roiSize[axis] - size[axis]);
            padBefore[axis] = missing / 2;
            // F.pad lists the last axis first.
            pad[2 * (2 - axis)] = missing / 2;
            pad[2 * (2 - axis) + 1] = missing - missing / 2;
        }
        return pad.All(p => p == 0) ? image : nn.functional.pad(image, pad);
    }
}
