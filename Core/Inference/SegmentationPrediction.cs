using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// What <see cref="SegmentationPredictor"/> returns, on the predictor's aggregation device in NIfTI index order
/// (i, j, k) like <see cref="Imaging.Volume"/>: ready for the inverse transforms and a writer. Disposing it frees both
/// tensors; they also belong to the dispose scope the prediction was made in.
/// </summary>
/// <param name="labels">[I, J, K] class indices.</param>
/// <param name="probabilities">[C, I, J, K] softmax probabilities, or null when not asked for.</param>
public sealed class SegmentationPrediction(Tensor labels, Tensor? probabilities) : IDisposable
{
    /// <summary>[I, J, K] class indices (argmax of the blended logits).</summary>
    public Tensor Labels { get; } = labels;

    /// <summary>[C, I, J, K] softmax of the blended logits, or null when not asked for.</summary>
    public Tensor? Probabilities { get; } = probabilities;

    /// <inheritdoc />
    public void Dispose()
    {
        Labels.Dispose();
        Probabilities?.Dispose();
    }
}
