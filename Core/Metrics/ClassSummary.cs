namespace Pipeline.Core.Metrics;

/// <summary>One class's metrics summarised over all cases of a report.</summary>
/// <param name="Class">The class.</param>
/// <param name="Cases">Cases scored.</param>
/// <param name="ReferenceEmpty">Cases where the class is absent from the reference.</param>
/// <param name="PredictionEmpty">Cases where the class is absent from the prediction.</param>
/// <param name="BothEmpty">Cases where the class is absent from both.</param>
/// <param name="Dice">Dice over the cases where it is defined.</param>
/// <param name="Hd95Mm">HD95 in mm over the cases where it is defined (both masks non-empty).</param>
/// <param name="Nsd">Normalised surface Dice over the cases where it is defined.</param>
public sealed record ClassSummary(
    MetricClass Class,
    int Cases,
    int ReferenceEmpty,
    int PredictionEmpty,
    int BothEmpty,
    SummaryStatistics Dice,
    SummaryStatistics Hd95Mm,
    SummaryStatistics Nsd);
