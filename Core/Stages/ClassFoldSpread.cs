using Pipeline.Core.Metrics;

namespace Pipeline.Core.Stages;

/// <summary>One class's per-fold means summarised over the folds of a cross-validation (mean ± sample std over folds).</summary>
/// <param name="Class">The class.</param>
/// <param name="Dice">The folds' mean Dice.</param>
/// <param name="Hd95Mm">The folds' mean HD95 in mm.</param>
/// <param name="Nsd">The folds' mean NSD.</param>
public sealed record ClassFoldSpread(MetricClass Class, SummaryStatistics Dice, SummaryStatistics Hd95Mm, SummaryStatistics Nsd);
