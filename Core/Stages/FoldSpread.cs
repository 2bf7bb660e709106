using Pipeline.Core.Metrics;

namespace Pipeline.Core.Stages;

/// <summary>
/// The folds' results summarised over the folds: for the overall means (each fold's mean over classes) and for every
/// class, the mean and sample standard deviation of the per-fold values (folds where a value is undefined are skipped).
/// </summary>
/// <param name="MeanDice">The folds' mean Dice over classes.</param>
/// <param name="MeanHd95Mm">The folds' mean HD95 over classes, in mm.</param>
/// <param name="MeanNsd">The folds' mean NSD over classes.</param>
/// <param name="Classes">Per class, in class order.</param>
public sealed record FoldSpread(SummaryStatistics MeanDice, SummaryStatistics MeanHd95Mm, SummaryStatistics MeanNsd, IReadOnlyList<ClassFoldSpread> Classes);
