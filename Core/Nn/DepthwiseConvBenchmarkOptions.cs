using Pipeline.Core.Plugins;

namespace Pipeline.Core.Nn;

/// <summary>
/// What <see cref="DepthwiseConvBenchmark.Run"/> measures. Every combination of <see cref="Channels"/>,
/// <see cref="SpatialSizes"/> and <see cref="KernelSizes"/> is timed on every path in <see cref="Paths"/>.
/// </summary>
public sealed record DepthwiseConvBenchmarkOptions : IValidatableOptions
{
    /// <summary>Paths to time; <see cref="DepthwiseConvPath.Native"/> is always the accuracy reference. Default: Native, Fft, DirectBackward.</summary>
    public IReadOnlyList<DepthwiseConvPath> Paths { get; init; } =
        new[] { DepthwiseConvPath.Native, DepthwiseConvPath.Fft, DepthwiseConvPath.DirectBackward };

    /// <summary>Odd cubic kernel sizes k. Default: 3, 5, 7, 13, 21.</summary>
    public IReadOnlyList<int> KernelSizes { get; init; } = new[] { 3, 5, 7, 13, 21 };

    /// <summary>Channel counts C. Default: 48 (the first UX-Net stage).</summary>
    public IReadOnlyList<int> Channels { get; init; } = new[] { 48 };

    /// <summary>Edge lengths of cubic inputs (D = H = W). Default: 32.</summary>
    public IReadOnlyList<int> SpatialSizes { get; init; } = new[] { 32 };

    /// <summary>Batch size N. Default: 1.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Untimed runs before the timed ones (first-call allocation, FFT plans). Default: 1.</summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>Timed runs; the minimum is reported, the least disturbed by other load. Default: 3.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>
    /// Largest k for which libtorch's own backward is timed; above it the native forward+backward column stays
    /// empty, because on CPU it takes about a minute per run at k = 21. Default: 7.
    /// </summary>
    public int NativeBackwardMaxKernelSize { get; init; } = 7;

    /// <summary>Seed of the generator that draws inputs, kernels, biases and upstream gradients. Default: 0.</summary>
    public long Seed { get; init; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Paths.Count == 0) yield return ("paths", "at least one path is required.");
        if (KernelSizes.Count == 0) yield return ("kernel_sizes", "at least one kernel size is required.");
        foreach (int k in KernelSizes.Where(k => k <= 0 || k % 2 == 0))
            yield return ("kernel_sizes", $"{k} is not a positive odd number.");
        if (Channels.Count == 0 || Channels.Any(c => c <= 0)) yield return ("channels", "needs one or more positive counts.");
        if (SpatialSizes.Count == 0 || SpatialSizes.Any(s => s <= 0)) yield return ("spatial_sizes", "needs one or more positive edge lengths.");
        if (BatchSize <= 0) yield return ("batch_size", "must be positive.");
        if (WarmupRuns < 0) yield return ("warmup_runs", "must not be negative.");
        if (Repeats <= 0) yield return ("repeats", "must be positive.");
    }
}
