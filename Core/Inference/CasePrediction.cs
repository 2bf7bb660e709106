using Pipeline.Core.Imaging;

namespace Pipeline.Core.Inference;

/// <summary>
/// What <see cref="CasePredictor"/> returns: the prediction of one case taken back to the grid of the file the case was
/// read from (its shape and exactly its affine), with the source header attached for the writer
/// (<see cref="PredictionFiles"/>). Disposing it frees both volumes; they belong to no dispose scope.
/// </summary>
/// <param name="caseId">The case.</param>
/// <param name="labels">[1, I, J, K] class indices (uint8, or int16 beyond 256 classes).</param>
/// <param name="probabilities">[C, I, J, K] float32 softmax probabilities, or null when not asked for.</param>
public sealed class CasePrediction(string caseId, Volume labels, Volume? probabilities) : IDisposable
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;

    /// <summary>[1, I, J, K] class indices on the source grid.</summary>
    public Volume Labels { get; } = labels;

    /// <summary>[C, I, J, K] class probabilities on the source grid (summing to 1 per voxel), or null.</summary>
    public Volume? Probabilities { get; } = probabilities;

    /// <inheritdoc />
    public void Dispose()
    {
        Labels.Dispose();
        Probabilities?.Dispose();
    }
}
