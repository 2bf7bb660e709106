namespace Pipeline.Core.Metrics;

/// <summary>
/// Per-case metrics of a set of cases with their per-class summaries. The overall means are the means of the per-class
/// means over the classes where those are defined (every class weighs the same, however many cases define it).
/// </summary>
public sealed class MetricsReport
{
    /// <param name="classes">The scored classes, in the order every case lists them.</param>
    /// <param name="cases">Per-case results from <see cref="SegmentationMetrics"/>.</param>
    /// <param name="options">The options the cases were scored with (written to the report).</param>
    public MetricsReport(IReadOnlyList<MetricClass> classes, IReadOnlyList<CaseMetrics> cases, MetricOptions options)
    {
        if (classes.Count == 0)
            throw new ArgumentException("A metrics report needs at least one class.", nameof(classes));
        foreach (var scored in cases)
        {
            if (scored.Classes.Count != classes.Count || scored.Classes.Where((result, c) => result.Label != classes[c].Label).Any())
                throw new ArgumentException(
                    $"Case '{scored.CaseId}' was scored for labels [{string.Join(", ", scored.Classes.Select(r => r.Label))}] " +
                    $"but the report lists [{string.Join(", ", classes.Select(c => c.Label))}].", nameof(cases));
        }
        var duplicateCase = cases.GroupBy(c => c.CaseId).FirstOrDefault(group => group.Count() > 1);
        if (duplicateCase is not null)
            throw new ArgumentException($"Case '{duplicateCase.Key}' appears more than once.", nameof(cases));

        Classes = classes;
        Cases = cases;
        Options = options;
        Summaries = classes.Select((metricClass, c) =>
        {
            var results = cases.Select(scored => scored.Classes[c]).ToArray();
            return new ClassSummary(metricClass, results.Length,
                results.Count(r => r.ReferenceEmpty), results.Count(r => r.PredictionEmpty),
                results.Count(r => r.ReferenceEmpty && r.PredictionEmpty),
                SummaryStatistics.Of(results.Select(r => r.Dice)),
                SummaryStatistics.Of(results.Select(r => r.Hd95Mm)),
                SummaryStatistics.Of(results.Select(r => r.Nsd)));
        }).ToArray();
        MeanDice = SummaryStatistics.MeanOf(Summaries.Select(s => s.Dice.Mean));
        MeanHd95Mm = SummaryStatistics.MeanOf(Summaries.Select(s => s.Hd95Mm.Mean));
        MeanNsd = SummaryStatistics.MeanOf(Summaries.Select(s => s.Nsd.Mean));
    }

    /// <summary>The scored classes.</summary>
    public IReadOnlyList<MetricClass> Classes { get; }

    /// <summary>Per-case results.</summary>
    public IReadOnlyList<CaseMetrics> Cases { get; }

    /// <summary>The options the cases were scored with.</summary>
    public MetricOptions Options { get; }

    /// <summary>Per-class summaries, in class order.</summary>
    public IReadOnlyList<ClassSummary> Summaries { get; }

    /// <summary>Mean over classes of the per-class mean Dice (classes without a defined mean skipped).</summary>
    public double MeanDice { get; }

    /// <summary>Mean over classes of the per-class mean HD95 in mm.</summary>
    public double MeanHd95Mm { get; }

    /// <summary>Mean over classes of the per-class mean NSD.</summary>
    public double MeanNsd { get; }
}
