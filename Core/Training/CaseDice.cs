namespace Pipeline.Core.Training;

/// <summary>Dice of one case, per foreground class (NaN where the class is absent from reference and prediction).</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Dice">One value per foreground class, in class order (class 1 first).</param>
/// <param name="Surface">Dice, HD95 and NSD in mm per foreground class, when the evaluator was asked for them.</param>
public sealed record CaseDice(string CaseId, IReadOnlyList<double> Dice, Metrics.CaseMetrics? Surface = null);
