using Pipeline.Core.Inference;
using Pipeline.Core.Nn;
using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// Runs a network over every case of a split with sliding windows, takes the argmax and scores it with
/// <see cref="DiceScore"/>. Used by the training stage's periodic validation and by the validate stage.
/// </summary>
/// <param name="inference">How windows are laid out and blended.</param>
/// <param name="device">Where the network lives; images are moved there.</param>
/// <param name="surfaceMetrics">When set, each case is also scored with Dice, HD95 and NSD in millimetres (Core/Metrics).</param>
public sealed class SegmentationEvaluator(SlidingWindowInference inference, Device device, Metrics.MetricOptions? surfaceMetrics = null)
{
    /// <summary>
    /// Scores <paramref name="network"/> on <paramref name="cases"/>. The network runs in eval mode; its previous
    /// train/eval mode is restored afterwards. Cancellation is checked between cases.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="cases">Labelled cases.</param>
    /// <param name="classNames">All class names (index 0 = background), as the dataset lists them.</param>
    /// <param name="cancellationToken">Stops between cases.</param>
    /// <param name="onCase">Called after each case (e.g. to log it).</param>
    /// <returns>The result, or null when cancelled before every case was scored.</returns>
    public EvaluationResult? Evaluate(SegmentationNetwork network, CaseStore cases, IReadOnlyList<string> classNames,
                                      CancellationToken cancellationToken, Action<CaseDice>? onCase = null)
    {
        if (network.OutChannels != classNames.Count)
            throw new ArgumentException(
                $"The network predicts {network.OutChannels} classes but the dataset has {classNames.Count} ({string.Join(", ", classNames)}).");
        bool wasTraining = network.training;
        network.eval();
        try
        {
            var results = new List<CaseDice>(cases.Count);
            for (int i = 0; i < cases.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested) return null;
                var dice = cases.Use(i, ScoreCase);
                results.Add(dice);
                onCase?.Invoke(dice);
            }
            return new EvaluationResult(classNames.Skip(1).ToArray(), results);
        }
        finally
        {
            if (wasTraining) network.train();
        }

        CaseDice ScoreCase(Data.SegmentationCase source)
        {
            if (source.Label is null)
                throw new InvalidOperationException($"Case '{source.Id}' has no label map; validation needs labels.");
            using var scope = NewDisposeScope();
            var image = source.Image.unsqueeze(0).to(device);
            var logits = inference.Predict(network.call, image);
            var dice = DiceScore.PerClassFromLogits(logits, source.Label.to(device));
            if (surfaceMetrics is null) return new CaseDice(source.Id, dice);
            var labels = Enumerable.Range(1, classNames.Count - 1).Select(k => (long)k).ToList();
            var surface = Metrics.SegmentationMetrics.ComputeCase(source.Id, logits.argmax(1)[0].cpu(), source.Label.cpu(), source.Spacing, labels, surfaceMetrics);
            return new CaseDice(source.Id, dice, surface);
        }
    }
}
