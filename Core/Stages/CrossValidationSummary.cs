using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Core.IO;
using Pipeline.Core.Metrics;
using Pipeline.Core.Training;

namespace Pipeline.Core.Stages;

/// <summary>
/// The table of a cross-validation: per fold, each class's mean Dice, HD95 and NSD over the fold's held-out cases (and
/// their mean over classes); over the folds, the mean ± sample standard deviation of those per-fold values; and pooled,
/// the same metrics over all held-out cases together. Written as <c>cv_summary.json</c>, <c>cv_summary.csv</c> and
/// <c>cv_summary.md</c>, each atomically; undefined values are null in JSON and <c>NaN</c> in CSV and markdown.
/// </summary>
public sealed class CrossValidationSummary
{
    private readonly string _dataset;
    private readonly CrossValidationOptions _options;

    /// <param name="dataset">The dataset's manifest name.</param>
    /// <param name="classes">The scored (foreground) classes.</param>
    /// <param name="folds">The done folds, in the order they ran.</param>
    /// <param name="options">The stage's options (written to the JSON).</param>
    public CrossValidationSummary(string dataset, IReadOnlyList<MetricClass> classes, IReadOnlyList<CrossValidationFoldResult> folds,
                                  CrossValidationOptions options)
    {
        if (folds.Count == 0) throw new ArgumentException("A cross-validation summary needs at least one fold.", nameof(folds));
        _dataset = dataset;
        _options = options;
        Classes = classes;
        var metricOptions = new MetricOptions { NsdToleranceMm = options.NsdToleranceMm };
        PerFold = folds.Select(f => (f.Fold, new MetricsReport(classes, f.Cases, metricOptions))).ToList();
        Pooled = new MetricsReport(classes, folds.SelectMany(f => f.Cases).ToList(), metricOptions);
        AcrossFolds = new FoldSpread(
            SummaryStatistics.Of(PerFold.Select(f => f.Report.MeanDice)),
            SummaryStatistics.Of(PerFold.Select(f => f.Report.MeanHd95Mm)),
            SummaryStatistics.Of(PerFold.Select(f => f.Report.MeanNsd)),
            classes.Select((metricClass, c) => new ClassFoldSpread(metricClass,
                SummaryStatistics.Of(PerFold.Select(f => f.Report.Summaries[c].Dice.Mean)),
                SummaryStatistics.Of(PerFold.Select(f => f.Report.Summaries[c].Hd95Mm.Mean)),
                SummaryStatistics.Of(PerFold.Select(f => f.Report.Summaries[c].Nsd.Mean)))).ToList());
    }

    /// <summary>The scored classes.</summary>
    public IReadOnlyList<MetricClass> Classes { get; }

    /// <summary>Each fold's report over its held-out cases.</summary>
    public IReadOnlyList<(int Fold, MetricsReport Report)> PerFold { get; }

    /// <summary>The per-fold values summarised over the folds.</summary>
    public FoldSpread AcrossFolds { get; }

    /// <summary>One report over every held-out case of every fold.</summary>
    public MetricsReport Pooled { get; }

    /// <summary>Writes the three files into <paramref name="folder"/>; returns (artifact name, path) of each.</summary>
    public IReadOnlyList<(string Artifact, string Path)> WriteAll(string folder)
    {
        var files = new List<(string, string)>
        {
            ("cv_summary_json", System.IO.Path.Combine(folder, CrossValidationStage.SummaryJsonFile)),
            ("cv_summary_csv", System.IO.Path.Combine(folder, CrossValidationStage.SummaryCsvFile)),
            ("cv_summary_markdown", System.IO.Path.Combine(folder, CrossValidationStage.SummaryMarkdownFile)),
        };
        AtomicFile.WriteAllText(files[0].Item2, Json());
        AtomicFile.WriteAllText(files[1].Item2, Csv());
        AtomicFile.WriteAllText(files[2].Item2, Markdown());
        return files;
    }

    /// <summary>The JSON document: settings, per-fold values, the spread over folds, the pooled summary.</summary>
    public string Json()
    {
        var document = new Dictionary<string, object?>
        {
            ["dataset"] = _dataset,
            ["folds"] = PerFold.Select(f => f.Fold).ToList(),
            ["split_seed"] = _options.SplitsFile is null ? _options.SplitSeed : null,
            ["splits_file"] = _options.SplitsFile,
            ["checkpoint"] = _options.Checkpoint.ToString().ToLowerInvariant(),
            ["roi_size"] = _options.EffectiveRoiSize(),
            ["overlap"] = _options.Overlap,
            ["nsd_tolerance_mm"] = _options.NsdToleranceMm,
            ["classes"] = Classes.Select(c => c.Name).ToList(),
            ["per_fold"] = PerFold.Select(f => new Dictionary<string, object?>
            {
                ["fold"] = f.Fold,
                ["cases"] = f.Report.Cases.Count,
                ["mean_dice"] = JsonNumber.OrNull(f.Report.MeanDice),
                ["mean_hd95_mm"] = JsonNumber.OrNull(f.Report.MeanHd95Mm),
                ["mean_nsd"] = JsonNumber.OrNull(f.Report.MeanNsd),
                ["classes"] = f.Report.Summaries.ToDictionary(s => s.Class.Name, s => (object?)new Dictionary<string, object?>
                {
                    ["dice"] = JsonNumber.OrNull(s.Dice.Mean),
                    ["hd95_mm"] = JsonNumber.OrNull(s.Hd95Mm.Mean),
                    ["nsd"] = JsonNumber.OrNull(s.Nsd.Mean),
                }),
            }).ToList(),
            ["across_folds"] = new Dictionary<string, object?>
            {
                ["mean_dice"] = Spread(AcrossFolds.MeanDice),
                ["mean_hd95_mm"] = Spread(AcrossFolds.MeanHd95Mm),
                ["mean_nsd"] = Spread(AcrossFolds.MeanNsd),
                ["classes"] = AcrossFolds.Classes.ToDictionary(c => c.Class.Name, c => (object?)new Dictionary<string, object?>
                {
                    ["dice"] = Spread(c.Dice),
                    ["hd95_mm"] = Spread(c.Hd95Mm),
                    ["nsd"] = Spread(c.Nsd),
                }),
            },
            ["pooled"] = new Dictionary<string, object?>
            {
                ["cases"] = Pooled.Cases.Count,
                ["mean_dice"] = JsonNumber.OrNull(Pooled.MeanDice),
                ["mean_hd95_mm"] = JsonNumber.OrNull(Pooled.MeanHd95Mm),
                ["mean_nsd"] = JsonNumber.OrNull(Pooled.MeanNsd),
                ["classes"] = Pooled.Summaries.ToDictionary(s => s.Class.Name, s => (object?)new Dictionary<string, object?>
                {
                    ["dice"] = Statistics(s.Dice),
                    ["hd95_mm"] = Statistics(s.Hd95Mm),
                    ["nsd"] = Statistics(s.Nsd),
                }),
            },
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// The CSV table: one row per (scope, fold, class), where scope is <c>fold</c> (mean and std over the fold's
    /// cases), <c>across_folds</c> (mean and std over the fold means) or <c>pooled</c> (over all held-out cases), and
    /// class <c>mean</c> is the mean over classes.
    /// </summary>
    public string Csv()
    {
        var text = new StringBuilder("scope,fold,class,cases,dice,dice_std,hd95_mm,hd95_mm_std,nsd,nsd_std\n");
        foreach (var (fold, report) in PerFold)
        {
            foreach (var s in report.Summaries)
                Row(text, "fold", fold.ToString(CultureInfo.InvariantCulture), s.Class.Name, s.Cases, s.Dice, s.Hd95Mm, s.Nsd);
            Row(text, "fold", fold.ToString(CultureInfo.InvariantCulture), "mean", report.Cases.Count,
                Only(report.MeanDice), Only(report.MeanHd95Mm), Only(report.MeanNsd));
        }
        foreach (var c in AcrossFolds.Classes)
            Row(text, "across_folds", "", c.Class.Name, PerFold.Count, c.Dice, c.Hd95Mm, c.Nsd);
        Row(text, "across_folds", "", "mean", PerFold.Count, AcrossFolds.MeanDice, AcrossFolds.MeanHd95Mm, AcrossFolds.MeanNsd);
        foreach (var s in Pooled.Summaries)
            Row(text, "pooled", "", s.Class.Name, s.Cases, s.Dice, s.Hd95Mm, s.Nsd);
        Row(text, "pooled", "", "mean", Pooled.Cases.Count, Only(Pooled.MeanDice), Only(Pooled.MeanHd95Mm), Only(Pooled.MeanNsd));
        return text.ToString();
    }

    /// <summary>Markdown: one table per metric, rows = folds, mean ± std over folds, pooled; columns = classes and their mean.</summary>
    public string Markdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Cross-validation on {_dataset}: {PerFold.Count} fold(s), {Pooled.Cases.Count} held-out cases\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Checkpoint scored: {_options.Checkpoint.ToString().ToLowerInvariant()}; sliding window [{string.Join(", ", _options.EffectiveRoiSize())}], ")
            .Append(CultureInfo.InvariantCulture, $"overlap {_options.Overlap}; NSD tolerance {_options.NsdToleranceMm} mm. ")
            .Append("Fold rows are means over the fold's held-out cases; \"over folds\" is the mean ± sample std of the fold rows; ")
            .Append("\"pooled\" is the mean over all held-out cases.\n");
        Table(text, "Dice", "0.0000", s => s.Dice, r => r.MeanDice, c => c.Dice, AcrossFolds.MeanDice);
        Table(text, "HD95 (mm)", "0.00", s => s.Hd95Mm, r => r.MeanHd95Mm, c => c.Hd95Mm, AcrossFolds.MeanHd95Mm);
        Table(text, "NSD", "0.0000", s => s.Nsd, r => r.MeanNsd, c => c.Nsd, AcrossFolds.MeanNsd);
        return text.ToString();
    }

    private void Table(StringBuilder text, string title, string format, Func<ClassSummary, SummaryStatistics> ofClass,
                       Func<MetricsReport, double> overall, Func<ClassFoldSpread, SummaryStatistics> spread, SummaryStatistics overallSpread)
    {
        text.Append("\n## ").Append(title).Append("\n\n| | cases | ").AppendJoin(" | ", Classes.Select(c => c.Name)).Append(" | mean |\n");
        text.Append("|---|---:|").AppendJoin("", Classes.Select(_ => "---:|")).Append("---:|\n");
        foreach (var (fold, report) in PerFold)
            text.Append(CultureInfo.InvariantCulture, $"| fold {fold} | {report.Cases.Count} | ")
                .AppendJoin(" | ", report.Summaries.Select(s => Format(ofClass(s).Mean, format)))
                .Append(" | ").Append(Format(overall(report), format)).Append(" |\n");
        text.Append(CultureInfo.InvariantCulture, $"| over folds | {Pooled.Cases.Count} | ")
            .AppendJoin(" | ", AcrossFolds.Classes.Select(c => $"{Format(spread(c).Mean, format)} ± {Format(spread(c).StandardDeviation, format)}"))
            .Append(" | ").Append(Format(overallSpread.Mean, format)).Append(" ± ").Append(Format(overallSpread.StandardDeviation, format)).Append(" |\n");
        text.Append(CultureInfo.InvariantCulture, $"| pooled | {Pooled.Cases.Count} | ")
            .AppendJoin(" | ", Pooled.Summaries.Select(s => Format(ofClass(s).Mean, format)))
            .Append(" | ").Append(Format(overall(Pooled), format)).Append(" |\n");
    }

    private static void Row(StringBuilder text, string scope, string fold, string className, int cases,
                            SummaryStatistics dice, SummaryStatistics hd95, SummaryStatistics nsd) =>
        text.Append(CultureInfo.InvariantCulture, $"{scope},{fold},{className},{cases},")
            .Append(CultureInfo.InvariantCulture, $"{Csv(dice.Mean)},{Csv(dice.StandardDeviation)},{Csv(hd95.Mean)},{Csv(hd95.StandardDeviation)},")
            .Append(CultureInfo.InvariantCulture, $"{Csv(nsd.Mean)},{Csv(nsd.StandardDeviation)}\n");

    /// <summary>A single value as statistics without a spread (the CSV's std column is NaN for it).</summary>
    private static SummaryStatistics Only(double value) => new(double.IsFinite(value) ? 1 : 0, value, double.NaN, value);

    private static Dictionary<string, object?> Spread(SummaryStatistics statistics) => new()
    {
        ["mean"] = JsonNumber.OrNull(statistics.Mean),
        ["std"] = JsonNumber.OrNull(statistics.StandardDeviation),
        ["folds"] = statistics.Count,
    };

    private static Dictionary<string, object?> Statistics(SummaryStatistics statistics) => new()
    {
        ["mean"] = JsonNumber.OrNull(statistics.Mean),
        ["std"] = JsonNumber.OrNull(statistics.StandardDeviation),
        ["median"] = JsonNumber.OrNull(statistics.Median),
        ["count"] = statistics.Count,
    };

    private static string Csv(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "NaN";

    private static string Format(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "NaN";
}
