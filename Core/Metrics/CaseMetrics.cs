namespace Pipeline.Core.Metrics;

/// <summary>The metrics of one case: one entry per scored class, in the order the classes were given.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="SpacingMm">Voxel spacing in mm along the label maps' three axes, as used for the distances.</param>
/// <param name="Classes">Per-class results.</param>
public sealed record CaseMetrics(string CaseId, IReadOnlyList<double> SpacingMm, IReadOnlyList<ClassMetrics> Classes);
