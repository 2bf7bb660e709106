namespace Pipeline.Core.Metrics;

/// <summary>Settings of <see cref="SegmentationMetrics"/>. The defaults are stated in docs/metrics.md.</summary>
public sealed record MetricOptions
{
    /// <summary>Default normalised-surface-Dice tolerance in mm.</summary>
    public const double DefaultNsdToleranceMm = 1.0;

    /// <summary>What Dice and NSD report when a mask is empty (default <see cref="EmptyReferencePolicy.Score"/>).</summary>
    public EmptyReferencePolicy EmptyReference { get; init; } = EmptyReferencePolicy.Score;

    /// <summary>NSD tolerance τ in mm for every class not listed in <see cref="NsdToleranceMmByLabel"/>.</summary>
    public double NsdToleranceMm { get; init; } = DefaultNsdToleranceMm;

    /// <summary>Per-class NSD tolerances in mm, keyed by label value (MONAI's <c>class_thresholds</c>).</summary>
    public IReadOnlyDictionary<long, double> NsdToleranceMmByLabel { get; init; } = new Dictionary<long, double>();

    /// <summary>The NSD tolerance in mm for <paramref name="label"/>.</summary>
    public double NsdToleranceFor(long label) =>
        NsdToleranceMmByLabel.TryGetValue(label, out double tolerance) ? tolerance : NsdToleranceMm;

    /// <summary>Throws naming the setting when a tolerance is negative, infinite or NaN or the policy is unknown.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(EmptyReference))
            throw new ArgumentException($"Metric options: unknown empty-reference policy {(int)EmptyReference}.");
        if (!IsValidTolerance(NsdToleranceMm))
            throw new ArgumentException($"Metric options: the NSD tolerance must be a finite number ≥ 0 mm, got {NsdToleranceMm}.");
        foreach (var (label, tolerance) in NsdToleranceMmByLabel)
            if (!IsValidTolerance(tolerance))
                throw new ArgumentException($"Metric options: the NSD tolerance of label {label} must be a finite number ≥ 0 mm, got {tolerance}.");
    }

    private static bool IsValidTolerance(double tolerance) => double.IsFinite(tolerance) && tolerance >= 0;
}
