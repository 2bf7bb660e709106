using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// The host memory a <see cref="SegmentationPredictor"/> run needs, part by part, for a float32 image and float32
/// blending (GB = 10⁹ bytes). <see cref="TotalBytes"/> adds every part although the weight map is freed before the
/// outputs are made, so it is an upper bound for what is estimated; the process itself (runtime, libtorch) comes on
/// top. Print it before a large run (<see cref="Log"/>).
/// </summary>
public sealed record InferenceMemoryEstimate
{
    private const long Float32Bytes = 4;

    /// <summary>Spatial size (I, J, K) of the volume.</summary>
    public required IReadOnlyList<long> VolumeShape { get; init; }

    /// <summary>Spatial size after zero-padding axes shorter than the ROI.</summary>
    public required IReadOnlyList<long> PaddedShape { get; init; }

    /// <summary>Output classes.</summary>
    public required int Classes { get; init; }

    /// <summary>The image (C_in × volume) plus its zero-padded copy when an axis is shorter than the ROI.</summary>
    public required long InputBytes { get; init; }

    /// <summary>The blended logits: classes × padded volume, float32.</summary>
    public required long AccumulatorBytes { get; init; }

    /// <summary>The single-channel weight map (Σ w per voxel), float32.</summary>
    public required long WeightMapBytes { get; init; }

    /// <summary>
    /// One window batch: B × ROI voxels × 4 bytes × (2 · C_in + 3 · classes), i.e. the cut windows and a moved or flipped
    /// copy, and the network output with its weighted (or flipped-back) copy and the test-time augmentation sum.
    /// </summary>
    public required long WindowBatchBytes { get; init; }

    /// <summary>The network's activations for one window batch, or null when no per-voxel factor was given.</summary>
    public required long? ActivationBytes { get; init; }

    /// <summary>The cropped copy of the logits when the volume was padded (else 0).</summary>
    public required long CropBytes { get; init; }

    /// <summary>The label map.</summary>
    public required long LabelBytes { get; init; }

    /// <summary>Float16 probabilities (float32 ones overwrite the logits, so 0; 0 when none are asked for).</summary>
    public required long ProbabilityBytes { get; init; }

    /// <summary>The label type.</summary>
    public required ScalarType LabelType { get; init; }

    /// <summary>The probability type, or null for none.</summary>
    public required ScalarType? ProbabilityType { get; init; }

    /// <summary>The sum of all parts.</summary>
    public long TotalBytes => InputBytes + AccumulatorBytes + WeightMapBytes + WindowBatchBytes + (ActivationBytes ?? 0) +
                              CropBytes + LabelBytes + ProbabilityBytes;

    /// <summary>Estimates the memory for a volume of <paramref name="volumeShape"/>.</summary>
    /// <param name="volumeShape">Spatial size (I, J, K), each ≥ 1.</param>
    /// <param name="channelsIn">Input channels (≥ 1).</param>
    /// <param name="classes">Output channels (≥ 1).</param>
    /// <param name="roi">Window size (d, h, w), each ≥ 1.</param>
    /// <param name="swBatchSize">Windows per network call (≥ 1).</param>
    /// <param name="options">Outputs and network facts; null for uint8 labels only and unknown activations.</param>
    public static InferenceMemoryEstimate For(IReadOnlyList<long> volumeShape, int channelsIn, int classes, IReadOnlyList<int> roi,
                                              int swBatchSize, InferenceMemoryOptions? options = null)
    {
        if (volumeShape is null || volumeShape.Count != 3 || volumeShape.Any(s => s < 1))
            throw new ArgumentException($"The volume needs 3 positive sizes, got [{string.Join(", ", volumeShape ?? [])}].", nameof(volumeShape));
        if (roi is null || roi.Count != 3 || roi.Any(s => s < 1))
            throw new ArgumentException($"roi_size must be 3 positive sizes, got [{string.Join(", ", roi ?? [])}].", nameof(roi));
        if (channelsIn < 1) throw new ArgumentOutOfRangeException(nameof(channelsIn), channelsIn, "Input channels must be at least 1.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Classes must be at least 1.");
        if (swBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(swBatchSize), swBatchSize, "sw_batch_size must be at least 1.");
        options ??= new InferenceMemoryOptions();
        if (options.ActivationBytesPerVoxel is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.ActivationBytesPerVoxel, "Activation bytes per voxel cannot be negative.");

        var padded = volumeShape.Select((size, axis) => Math.Max(size, roi[axis])).ToArray();
        long voxels = volumeShape.Aggregate(1L, (a, b) => a * b);
        long paddedVoxels = padded.Aggregate(1L, (a, b) => a * b);
        long roiVoxels = roi.Aggregate(1L, (a, b) => a * b);
        bool isPadded = paddedVoxels != voxels;
        return new InferenceMemoryEstimate
        {
            VolumeShape = volumeShape.ToArray(),
            PaddedShape = padded,
            Classes = classes,
            InputBytes = channelsIn * Float32Bytes * (voxels + (isPadded ? paddedVoxels : 0)),
            AccumulatorBytes = classes * Float32Bytes * paddedVoxels,
            WeightMapBytes = Float32Bytes * paddedVoxels,
            WindowBatchBytes = swBatchSize * roiVoxels * Float32Bytes * (2L * channelsIn + 3L * classes),
            ActivationBytes = options.ActivationBytesPerVoxel is { } factor ? (long)Math.Ceiling(swBatchSize * roiVoxels * factor) : null,
            CropBytes = isPadded ? classes * Float32Bytes * voxels : 0,
            LabelBytes = voxels * ElementSize(options.LabelType),
            ProbabilityBytes = options.ProbabilityType is { } type && type != ScalarType.Float32 ? classes * voxels * ElementSize(type) : 0,
            LabelType = options.LabelType,
            ProbabilityType = options.ProbabilityType,
        };
    }

    /// <summary>
    /// One line, e.g. "~2.34 GB for 512×512×300, 5 classes: input 314.6 MB, accumulator 1.57 GB, ...; network
    /// activations not included".
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"~{TotalBytes / 1e9:0.00} GB for {string.Join('×', VolumeShape)}, {Classes} classes: ");
        text.Append("input ").Append(Format(InputBytes));
        if (!PaddedShape.SequenceEqual(VolumeShape)) text.Append(" (with the copy zero-padded to ").AppendJoin('×', PaddedShape).Append(')');
        text.Append(", accumulator ").Append(Format(AccumulatorBytes)).Append(" (float32)");
        text.Append(", weight map ").Append(Format(WeightMapBytes));
        text.Append(", window batch ").Append(Format(WindowBatchBytes));
        if (ActivationBytes is { } activations) text.Append(", network activations ").Append(Format(activations));
        if (CropBytes > 0) text.Append(", crop ").Append(Format(CropBytes));
        text.Append(", labels ").Append(Format(LabelBytes)).Append(" (").Append(TypeName(LabelType)).Append(')');
        text.Append(", probabilities ").Append(ProbabilityType switch
        {
            null => "none",
            ScalarType.Float32 => "float32 in place of the logits",
            { } type => $"{Format(ProbabilityBytes)} ({TypeName(type)})",
        });
        if (ActivationBytes is null) text.Append("; network activations not included (no per-voxel factor given)");
        return text.ToString();
    }

    /// <summary>Logs <see cref="ToString"/> at information level.</summary>
    public void Log(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        logger.LogInformation("Inference memory estimate: {Estimate}", ToString());
    }

    /// <summary>Bytes as GB (≥ 1 GB) or MB, invariant culture.</summary>
    public static string Format(long bytes) => bytes >= 1_000_000_000
        ? (bytes / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB"
        : (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentException($"No element size known for {type}."),
    };

    private static string TypeName(ScalarType type) => type switch
    {
        ScalarType.Byte => "uint8",
        _ => type.ToString().ToLowerInvariant(),
    };
}
