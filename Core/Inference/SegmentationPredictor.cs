using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Predicts a whole volume: sliding-window logits blended on the aggregation device (CPU by default), then the argmax
/// label map and, when asked for, softmax probabilities, each computed slab by slab. Peak memory is the input, the
/// float32 logits (C × volume), a single-channel weight map and one window batch; the label map comes on top, float16
/// probabilities too, float32 probabilities reuse the logits. No one-hot or second C × volume tensor is made
/// (except the crop of a volume smaller than the ROI). Print <see cref="EstimateMemory"/> first for large volumes.
/// The caller puts the network in eval mode.
/// </summary>
public sealed class SegmentationPredictor
{
    private readonly SlidingWindowInference _windows;

    /// <param name="options">Settings.</param>
    /// <param name="networkDevice">The network's device; windows are moved there (null: left on the image's device).</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public SegmentationPredictor(PredictionOptions options, Device? networkDevice = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid prediction settings: " + string.Join("; ", problems.Select(p => $"{p.Key} {p.Message}")), nameof(options));
        Options = options;
        _windows = new SlidingWindowInference(options.ToSlidingWindowOptions(networkDevice));
    }

    /// <summary>The settings.</summary>
    public PredictionOptions Options { get; }

    /// <summary>The memory a prediction of a volume of <paramref name="volumeShape"/> needs (see <see cref="PredictionOptions.EstimateMemory"/>).</summary>
    public InferenceMemoryEstimate EstimateMemory(IReadOnlyList<long> volumeShape, int channelsIn, int classes, double? activationBytesPerVoxel = null) =>
        Options.EstimateMemory(volumeShape, channelsIn, classes, activationBytesPerVoxel);

    /// <summary>Blended logits of one volume.</summary>
    /// <param name="network">Maps [B, C_in, d, h, w] windows to [B, C, d, h, w] logits.</param>
    /// <param name="image">[C_in, I, J, K].</param>
    /// <returns>[C, I, J, K] logits on the aggregation device, in the caller's dispose scope.</returns>
    public Tensor PredictLogits(Func<Tensor, Tensor> network, Tensor image)
    {
        RequireImage(image);
        using var scope = NewDisposeScope();
        return _windows.Predict(network, image.unsqueeze(0))[0].MoveToOuterDisposeScope();
    }

    /// <summary>Labels and, when <see cref="PredictionOptions.ProbabilityType"/> is set, probabilities of one volume.</summary>
    /// <param name="network">Maps [B, C_in, d, h, w] windows to [B, C, d, h, w] logits.</param>
    /// <param name="image">[C_in, I, J, K].</param>
    /// <returns>The prediction, its tensors in the caller's dispose scope.</returns>
    public SegmentationPrediction Predict(Func<Tensor, Tensor> network, Tensor image)
    {
        RequireImage(image);
        using var scope = NewDisposeScope();
        var logits = PredictLogits(network, image);
        var labels = SegmentationPostprocessing.Argmax(logits, Options.LabelType, Options.SlabSize);
        Tensor? probabilities = Options.ProbabilityType switch
        {
            null => null,
            ScalarType.Float32 => SegmentationPostprocessing.SoftmaxInPlace(logits, Options.SlabSize),
            { } type => SegmentationPostprocessing.Softmax(logits, type, Options.SlabSize),
        };
        if (!ReferenceEquals(probabilities, logits)) logits.Dispose(); // free the logits before the caller continues
        return new SegmentationPrediction(labels.MoveToOuterDisposeScope(), probabilities?.MoveToOuterDisposeScope());
    }

    private static void RequireImage(Tensor image)
    {
        if (image.dim() != 4)
            throw new ArgumentException($"Prediction expects one image [C, I, J, K], got [{string.Join(", ", image.shape)}].", nameof(image));
    }
}
