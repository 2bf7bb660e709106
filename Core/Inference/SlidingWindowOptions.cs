using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Settings of <see cref="SlidingWindowInference"/>, named after MONAI's <c>sliding_window_inference</c> arguments.
/// The defaults are the validation defaults (constant blending, no test-time augmentation, everything on the devices
/// the image and the network already use); inference uses <see cref="PredictionOptions"/>, whose default is Gaussian.
/// </summary>
public sealed record SlidingWindowOptions
{
    /// <summary>Window size (d, h, w), each ≥ 1 (MONAI <c>roi_size</c>).</summary>
    public required IReadOnlyList<int> RoiSize { get; init; }

    /// <summary>Fraction of a window shared with its neighbour, in [0, 1) (MONAI <c>overlap</c>).</summary>
    public double Overlap { get; init; } = 0.25;

    /// <summary>Windows per network call, ≥ 1 (MONAI <c>sw_batch_size</c>).</summary>
    public int WindowBatchSize { get; init; } = 1;

    /// <summary>How overlapping window outputs are combined (MONAI <c>mode</c>).</summary>
    public BlendMode Blend { get; init; } = BlendMode.Constant;

    /// <summary>σ of the Gaussian blend as a fraction of the window size (MONAI <c>sigma_scale</c>).</summary>
    public double SigmaScale { get; init; } = ImportanceMap.DefaultSigmaScale;

    /// <summary>
    /// Spatial axes (0 = d, 1 = h, 2 = w) for flip test-time augmentation; empty for none. Each window is predicted once
    /// per subset of these axes (2^n passes) and the logits are averaged, as nnU-Net v2 does (<see cref="MirroredPrediction"/>).
    /// </summary>
    public IReadOnlyList<int> MirrorAxes { get; init; } = [];

    /// <summary>
    /// Where windows are sent before the network sees them (MONAI <c>sw_device</c>); null leaves them on the image's
    /// device.
    /// </summary>
    public Device? WindowDevice { get; init; }

    /// <summary>
    /// Where the blended output and the weight map live (MONAI <c>device</c>); null keeps them on the device the network
    /// returns its outputs on. CPU keeps whole-volume tensors out of accelerator memory.
    /// </summary>
    public Device? AggregationDevice { get; init; }

    /// <summary>Problems of an <c>overlap</c> and an <c>sw_batch_size</c> option (shared by every stage that slides windows).</summary>
    public static IEnumerable<(string Key, string Message)> OverlapAndBatchProblems(double overlap, int windowBatchSize)
    {
        if (!(overlap >= 0 && overlap < 1))
            yield return ("overlap", $"must be in [0, 1), got {overlap}.");
        if (windowBatchSize < 1)
            yield return ("sw_batch_size", $"must be at least 1, got {windowBatchSize}.");
    }

    /// <summary>Every problem with these settings, by MONAI-style option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (RoiSize is null || RoiSize.Count != 3 || RoiSize.Any(s => s < 1))
            yield return ("roi_size", $"must be 3 positive sizes [d, h, w], got [{string.Join(", ", RoiSize ?? [])}].");
        foreach (var problem in OverlapAndBatchProblems(Overlap, WindowBatchSize))
            yield return problem;
        if (!Enum.IsDefined(Blend))
            yield return ("blend", $"must be constant or gaussian, got {Blend}.");
        if (!(SigmaScale > 0) || double.IsInfinity(SigmaScale))
            yield return ("sigma_scale", $"must be a positive number, got {SigmaScale}.");
        if (MirrorAxes is null || MirrorAxes.Any(a => a is < 0 or > 2) || MirrorAxes.Distinct().Count() != MirrorAxes.Count)
            yield return ("mirror_axes", $"must be distinct spatial axes among 0, 1, 2, got [{string.Join(", ", MirrorAxes ?? [])}].");
    }
}
