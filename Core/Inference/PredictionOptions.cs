using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Settings of <see cref="SegmentationPredictor"/>: the sliding window (Gaussian blending by default, as MONAI and
/// nnU-Net predict; validation keeps constant blending through <see cref="SlidingWindowOptions"/>) and what comes out.
/// </summary>
public sealed record PredictionOptions
{
    /// <summary>Window size (d, h, w), each ≥ 1; a multiple of the network's spatial divisor.</summary>
    public required IReadOnlyList<int> RoiSize { get; init; }

    /// <summary>Fraction of a window shared with its neighbour, in [0, 1).</summary>
    public double Overlap { get; init; } = 0.25;

    /// <summary>Windows per network call (≥ 1).</summary>
    public int WindowBatchSize { get; init; } = 1;

    /// <summary>How overlapping windows are blended (default Gaussian).</summary>
    public BlendMode Blend { get; init; } = BlendMode.Gaussian;

    /// <summary>σ of the Gaussian blend as a fraction of the window size (default 1/8).</summary>
    public double SigmaScale { get; init; } = ImportanceMap.DefaultSigmaScale;

    /// <summary>Spatial axes for flip test-time augmentation (nnU-Net: logits averaged over all subsets); empty for none.</summary>
    public IReadOnlyList<int> MirrorAxes { get; init; } = [];

    /// <summary>Type of the label map (default uint8, up to 256 classes; int64 as torch.argmax returns).</summary>
    public ScalarType LabelType { get; init; } = ScalarType.Byte;

    /// <summary>
    /// Type of the per-class probabilities, or null (default) for none. Float32 probabilities overwrite the blended
    /// logits in place; float16 ones are a new tensor of half the size.
    /// </summary>
    public ScalarType? ProbabilityType { get; init; }

    /// <summary>
    /// Where the whole-volume logits and the weight map live (default CPU, so a large volume needs host memory only;
    /// windows still run on the network's device).
    /// </summary>
    public Device AggregationDevice { get; init; } = CPU;

    /// <summary>Slices along the first spatial axis per post-processing step (softmax, argmax).</summary>
    public long SlabSize { get; init; } = SegmentationPostprocessing.DefaultSlabSize;

    /// <summary>The sliding-window part, with windows sent to <paramref name="networkDevice"/> (null: the image's device).</summary>
    public SlidingWindowOptions ToSlidingWindowOptions(Device? networkDevice) => new()
    {
        RoiSize = RoiSize,
        Overlap = Overlap,
        WindowBatchSize = WindowBatchSize,
        Blend = Blend,
        SigmaScale = SigmaScale,
        MirrorAxes = MirrorAxes,
        WindowDevice = networkDevice,
        AggregationDevice = AggregationDevice,
    };

    /// <summary>Every problem with these settings, by snake_case option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in ToSlidingWindowOptions(null).Validate())
            yield return problem;
        if (LabelType is not (ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64))
            yield return ("label_type", $"must be an integer type (uint8, int16, int32, int64), got {LabelType}.");
        if (ProbabilityType is { } type && type is not (ScalarType.Float32 or ScalarType.Float16))
            yield return ("probabilities", $"must be float32 or float16, got {type}.");
        if (SlabSize < 1)
            yield return ("slab_size", $"must be at least 1, got {SlabSize}.");
    }

    /// <summary>
    /// What a prediction with these settings needs in memory (<see cref="InferenceMemoryEstimate.For"/>).
    /// </summary>
    /// <param name="volumeShape">Spatial size (I, J, K) of the volume.</param>
    /// <param name="channelsIn">Input channels.</param>
    /// <param name="classes">Output channels.</param>
    /// <param name="activationBytesPerVoxel">The network's activation bytes per window voxel at batch size 1, or null
    /// when unknown (activations are then left out of the estimate, which says so).</param>
    public InferenceMemoryEstimate EstimateMemory(IReadOnlyList<long> volumeShape, int channelsIn, int classes, double? activationBytesPerVoxel = null) =>
        InferenceMemoryEstimate.For(volumeShape, channelsIn, classes, RoiSize, WindowBatchSize, new InferenceMemoryOptions
        {
            LabelType = LabelType,
            ProbabilityType = ProbabilityType,
            ActivationBytesPerVoxel = activationBytesPerVoxel,
        });
}
