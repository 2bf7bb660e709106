namespace Pipeline.Core.Metrics;

/// <summary>
/// What the overlap metrics (Dice and normalised surface Dice) report when a class is absent from the reference or
/// the prediction. Whatever the policy, a class present in the reference but not predicted scores 0, and the HD95 is
/// undefined (NaN, flagged by <see cref="ClassMetrics.ReferenceEmpty"/> / <see cref="ClassMetrics.PredictionEmpty"/>)
/// whenever either mask is empty. See docs/metrics.md for the table and MONAI's behaviour.
/// </summary>
public enum EmptyReferencePolicy
{
    /// <summary>
    /// An empty reference is scored like any other: 1 when the prediction is empty too (nothing to find, nothing
    /// found), 0 when something was predicted. Matches MONAI's <c>DiceMetric(ignore_empty=False)</c>. The default.
    /// </summary>
    Score,

    /// <summary>
    /// An empty reference makes Dice and NSD undefined (NaN), whatever was predicted, so summaries skip the case.
    /// Matches MONAI's <c>DiceMetric(ignore_empty=True)</c> (MONAI's default).
    /// </summary>
    Ignore,

    /// <summary>
    /// Undefined (NaN) only when both reference and prediction are empty; a prediction on an empty reference scores 0,
    /// so false positives on absent classes are penalised. Matches MONAI's <c>compute_surface_dice</c>, DeepMind's
    /// <c>compute_dice_coefficient</c> and the validate stage's <c>DiceScore</c>.
    /// </summary>
    IgnoreWhenBothEmpty,
}
