namespace Pipeline.Core.Metrics;

/// <summary>A class to score: its value in the label maps and the name reports show.</summary>
/// <param name="Label">The label value in prediction and reference.</param>
/// <param name="Name">Display name (e.g. from the dataset's class list).</param>
public sealed record MetricClass(long Label, string Name);
