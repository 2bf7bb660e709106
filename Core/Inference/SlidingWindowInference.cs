using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Whole-volume prediction with a network that sees only fixed-size windows, like MONAI's
/// <c>sliding_window_inference</c>:
/// <list type="bullet">
/// <item>A volume smaller than the ROI along an axis is zero-padded symmetrically (floor before, the rest after)
/// and the padding is cropped from the result.</item>
/// <item>Along each axis windows start every max(1, ⌊roi · (1 − overlap)⌋) voxels; the last window is moved back so it
/// ends at the volume's end (so the whole volume is covered and no window sticks out).</item>
/// <item>Overlapping window outputs are blended with an importance map w (<see cref="ImportanceMap"/>):
/// Σ w · output / Σ w per voxel. <see cref="BlendMode.Constant"/> is a plain average; <see cref="BlendMode.Gaussian"/>
/// weighs window centres more.</item>
/// <item>Windows are run <c>sw_batch_size</c> at a time (batch items may share a call), each batch inside its own
/// dispose scope, without gradients; optionally with flip test-time augmentation per window
/// (<see cref="MirroredPrediction"/>).</item>
/// <item>Windows may be moved to another device for the network (<see cref="SlidingWindowOptions.WindowDevice"/>) and
/// the outputs back to where the whole-volume sum lives (<see cref="SlidingWindowOptions.AggregationDevice"/>). The sum is
/// float32 (float64 for float64 outputs) with one channel per class; the weight map has one channel.</item>
/// </list>
/// The caller puts the network in eval mode.
/// </summary>
public sealed class SlidingWindowInference
{
    private readonly long[] _roiSize;

    /// <summary>Constant blending on the devices the image and the network use (the validation setting).</summary>
    /// <param name="roiSize">Window size (d, h, w), each ≥ 1.</param>
    /// <param name="overlap">Fraction of a window shared with its neighbour, in [0, 1).</param>
    /// <param name="windowBatchSize">Windows per network call (≥ 1).</param>
    public SlidingWindowInference(IReadOnlyList<int> roiSize, double overlap = 0.25, int windowBatchSize = 1)
        : this(CheckedOptions(roiSize, overlap, windowBatchSize))
    {
    }

    /// <summary>Sliding-window inference with every setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public SlidingWindowInference(SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid sliding-window settings: " + string.Join("; ", problems.Select(p => $"{p.Key} {p.Message}")), nameof(options));
        Options = options with { MirrorAxes = options.MirrorAxes.ToArray(), RoiSize = options.RoiSize.ToArray() };
        _roiSize = options.RoiSize.Select(s => (long)s).ToArray();
    }

    /// <summary>The settings.</summary>
    public SlidingWindowOptions Options { get; }

    /// <summary>Window size (d, h, w).</summary>
    public IReadOnlyList<long> RoiSize => _roiSize;

    /// <summary>Fraction of a window shared with its neighbour.</summary>
    public double Overlap => Options.Overlap;

    /// <summary>Windows per network call.</summary>
    public int WindowBatchSize => Options.WindowBatchSize;

    /// <summary>
    /// Start positions of the windows along one axis of length <paramref name="size"/> (≥ <paramref name="roi"/>).
    /// Equal to MONAI's <c>dense_patch_slices</c> with <c>_get_scan_interval</c>.
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

    /// <summary>The number of windows one batch item of spatial size <paramref name="volumeShape"/> is cut into.</summary>
    public long WindowCount(IReadOnlyList<long> volumeShape)
    {
        if (volumeShape.Count != 3) throw new ArgumentException($"Expected 3 spatial sizes, got {volumeShape.Count}.", nameof(volumeShape));
        long count = 1;
        for (int axis = 0; axis < 3; axis++)
            count *= WindowStarts(Math.Max(volumeShape[axis], _roiSize[axis]), _roiSize[axis], Overlap).Count;
        return count;
    }

    /// <summary>Predicts logits for a whole volume.</summary>
    /// <param name="network">Maps [B, C_in, d, h, w] windows to [B, C_out, d, h, w] logits.</param>
    /// <param name="image">[N, C_in, D, H, W].</param>
    /// <returns>[N, C_out, D, H, W] blended logits on the aggregation device, in the caller's dispose scope.</returns>
    public Tensor Predict(Func<Tensor, Tensor> network, Tensor image)
    {
        if (image.dim() != 5)
            throw new ArgumentException($"Sliding-window inference expects [N, C, D, H, W], got [{string.Join(", ", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predict = MirroredPrediction.Wrap(network, Options.MirrorAxes);

        long[] size = image.shape[2..];
        var padBefore = new long[3];
        var padded = PadToRoi(image, size, padBefore);
        long[] paddedSize = padded.shape[2..];
        var windows = Windows(image.shape[0], paddedSize);

        Tensor? sum = null, weights = null, importance = null;
        foreach (var chunk in windows.Chunk(WindowBatchSize))
        {
            using var windowScope = NewDisposeScope();
            var input = cat(chunk.Select(w => padded[Region(w, w.Item)]).ToList(), 0);
            if (Options.WindowDevice is { } windowDevice) input = input.to(windowDevice);
            var output = predict(input);
            if (output.dim() != 5 || output.shape[0] != chunk.Length || !output.shape[2..].SequenceEqual(_roiSize))
                throw new InvalidOperationException(
                    $"The network returned [{string.Join(", ", output.shape)}] for windows [{string.Join(", ", input.shape)}]; " +
                    "sliding-window inference needs outputs with the windows' batch and spatial size.");
            if (sum is null)
            {
                // The whole-volume tensors are made once the output's channels and device are known, in the outer scope.
                var device = Options.AggregationDevice ?? output.device;
                var dtype = output.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
                sum = zeros([image.shape[0], output.shape[1], .. paddedSize], dtype, device).MoveToOuterDisposeScope();
                weights = zeros([1, 1, .. paddedSize], dtype, device).MoveToOuterDisposeScope();
                if (Options.Blend == BlendMode.Gaussian)
                    importance = ImportanceMap.Compute(_roiSize, BlendMode.Gaussian, Options.SigmaScale, output.device)
                                              .to(dtype).view([1, 1, .. _roiSize]).MoveToOuterDisposeScope();
                AddWeights(weights, windows, importance);
            }
            // Weighted on the network's device (as MONAI), then moved to the accumulator.
            var contribution = (importance is null ? output : output * importance.to(output.dtype, output.device)).to(sum.dtype, sum.device);
            for (int i = 0; i < chunk.Length; i++)
                sum[Region(chunk[i], chunk[i].Item)].add_(contribution[TensorIndex.Slice(i, i + 1)]);
        }

        var blended = sum!.div_(weights!);
        weights!.Dispose(); // the single-channel weight map is not needed for the crop
        if (paddedSize.SequenceEqual(size)) return blended.MoveToOuterDisposeScope();
        var cropped = blended[.., .., TensorIndex.Slice(padBefore[0], padBefore[0] + size[0]),
                              TensorIndex.Slice(padBefore[1], padBefore[1] + size[1]),
                              TensorIndex.Slice(padBefore[2], padBefore[2] + size[2])];
        return cropped.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Adds each window's weights (1 for constant blending) over the region it covers; one batch item suffices.</summary>
    private void AddWeights(Tensor weights, List<Window> windows, Tensor? importance)
    {
        using var scope = NewDisposeScope();
        var onDevice = importance?.to(weights.device);
        foreach (var window in windows.Where(w => w.Item == 0))
        {
            if (onDevice is null) weights[Region(window)].add_(1);
            else weights[Region(window)].add_(onDevice);
        }
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

    /// <summary>The index of a window's region: batch item (kept as an axis, or 0 for the weight map), all channels.</summary>
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

    private static SlidingWindowOptions CheckedOptions(IReadOnlyList<int> roiSize, double overlap, int windowBatchSize)
    {
        if (roiSize is null || roiSize.Count != 3 || roiSize.Any(s => s < 1))
            throw new ArgumentException($"roi_size must be 3 positive sizes [d, h, w], got [{string.Join(", ", roiSize ?? [])}].", nameof(roiSize));
        if (!(overlap >= 0 && overlap < 1))
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "overlap must be in [0, 1).");
        if (windowBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(windowBatchSize), windowBatchSize, "sw_batch_size must be at least 1.");
        return new SlidingWindowOptions { RoiSize = roiSize, Overlap = overlap, WindowBatchSize = windowBatchSize };
    }
}
