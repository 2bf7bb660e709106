using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Core.IO;
using Pipeline.Core.Training;

namespace Pipeline.Core.Metrics;

/// <summary>
/// Writes a <see cref="MetricsReport"/> as one JSON document (definitions, classes, summary, per-case results) and two
/// CSV tables: per case × class (<see cref="CasesCsvFile"/>) and per class (<see cref="SummaryCsvFile"/>). Undefined
/// values are null in JSON and <c>NaN</c> in CSV; numbers use the invariant culture and round-trip exactly.
/// Files are replaced atomically (<see cref="AtomicFile"/>).
/// </summary>
public static class MetricsReportWriter
{
    /// <summary>Conventional file name of the JSON report.</summary>
    public const string JsonFile = "metrics.json";

    /// <summary>Conventional file name of the per case × class table.</summary>
    public const string CasesCsvFile = "metrics_cases.csv";

    /// <summary>Conventional file name of the per-class summary table.</summary>
    public const string SummaryCsvFile = "metrics_summary.csv";

    /// <summary>Columns of <see cref="CasesCsv"/>.</summary>
    public static readonly IReadOnlyList<string> CaseColumns =
    [
        "case", "label", "class", "dice", "hd95_mm", "nsd", "nsd_tolerance_mm", "reference_voxels", "prediction_voxels",
        "intersection_voxels", "reference_surface_voxels", "prediction_surface_voxels", "reference_empty", "prediction_empty",
    ];

    /// <summary>Columns of <see cref="SummaryCsv"/>.</summary>
    public static readonly IReadOnlyList<string> SummaryColumns =
    [
        "label", "class", "cases", "reference_empty", "prediction_empty", "both_empty",
        "dice_count", "dice_mean", "dice_std", "dice_median",
        "hd95_mm_count", "hd95_mm_mean", "hd95_mm_std", "hd95_mm_median",
        "nsd_count", "nsd_mean", "nsd_std", "nsd_median",
    ];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <see cref="Json"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteJson(string path, MetricsReport report) => AtomicFile.WriteAllText(path, Json(report));

    /// <summary>Writes <see cref="CasesCsv"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteCasesCsv(string path, MetricsReport report) => AtomicFile.WriteAllText(path, CasesCsv(report));

    /// <summary>Writes <see cref="SummaryCsv"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteSummaryCsv(string path, MetricsReport report) => AtomicFile.WriteAllText(path, SummaryCsv(report));

    /// <summary>Writes the three files under their conventional names into <paramref name="folder"/>.</summary>
    /// <returns>The paths written: JSON, cases CSV, summary CSV.</returns>
    public static IReadOnlyList<string> WriteAll(string folder, MetricsReport report)
    {
        string[] paths = [Path.Combine(folder, JsonFile), Path.Combine(folder, CasesCsvFile), Path.Combine(folder, SummaryCsvFile)];
        WriteJson(paths[0], report);
        WriteCasesCsv(paths[1], report);
        WriteSummaryCsv(paths[2], report);
        return paths;
    }

    /// <summary>The report as indented JSON, ending with a newline.</summary>
    public static string Json(MetricsReport report)
    {
        var document = new Dictionary<string, object?>
        {
            ["definitions"] = new Dictionary<string, object?>
            {
                ["empty_reference_policy"] = report.Options.EmptyReference.ToSnakeCase(),
                ["empty_rule"] = report.Options.EmptyReference.Describe() +
                                 " A class present in the reference but not predicted scores 0. hd95_mm is null whenever either mask is empty.",
                ["surface"] = "Mask voxels with at least one of their 6 face neighbours outside the mask or outside the grid (MONAI get_mask_edges).",
                ["hd95_mm"] = "Larger of the two directed 95th percentiles of surface-voxel to nearest-surface-voxel distances in mm; linear interpolation (numpy/torch default).",
                ["nsd"] = "(prediction surface voxels within tolerance of the reference surface + reference surface voxels within tolerance of the prediction surface) / (all surface voxels of both); distance <= tolerance counts.",
                ["summary"] = "Per class over cases where the value is defined (count): mean, sample standard deviation (n - 1, null below 2 values), median. Overall means are means of the per-class means.",
                ["undefined"] = "null",
            },
            ["classes"] = report.Classes.Select(c => new Dictionary<string, object?>
            {
                ["label"] = c.Label,
                ["name"] = c.Name,
                ["nsd_tolerance_mm"] = report.Options.NsdToleranceFor(c.Label),
            }).ToList(),
            ["summary"] = new Dictionary<string, object?>
            {
                ["cases"] = report.Cases.Count,
                ["mean_dice"] = JsonNumber.OrNull(report.MeanDice),
                ["mean_hd95_mm"] = JsonNumber.OrNull(report.MeanHd95Mm),
                ["mean_nsd"] = JsonNumber.OrNull(report.MeanNsd),
                ["classes"] = report.Summaries.Select(s => new Dictionary<string, object?>
                {
                    ["label"] = s.Class.Label,
                    ["name"] = s.Class.Name,
                    ["cases"] = s.Cases,
                    ["reference_empty"] = s.ReferenceEmpty,
                    ["prediction_empty"] = s.PredictionEmpty,
                    ["both_empty"] = s.BothEmpty,
                    ["dice"] = Statistics(s.Dice),
                    ["hd95_mm"] = Statistics(s.Hd95Mm),
                    ["nsd"] = Statistics(s.Nsd),
                }).ToList(),
            },
            ["cases"] = report.Cases.Select(scored => new Dictionary<string, object?>
            {
                ["case"] = scored.CaseId,
                ["spacing_mm"] = scored.SpacingMm,
                ["classes"] = scored.Classes.Select((r, c) => new Dictionary<string, object?>
                {
                    ["label"] = r.Label,
                    ["name"] = report.Classes[c].Name,
                    ["dice"] = JsonNumber.OrNull(r.Dice),
                    ["hd95_mm"] = JsonNumber.OrNull(r.Hd95Mm),
                    ["nsd"] = JsonNumber.OrNull(r.Nsd),
                    ["nsd_tolerance_mm"] = r.NsdToleranceMm,
                    ["reference_voxels"] = r.ReferenceVoxels,
                    ["prediction_voxels"] = r.PredictionVoxels,
                    ["intersection_voxels"] = r.IntersectionVoxels,
                    ["reference_surface_voxels"] = r.ReferenceSurfaceVoxels,
                    ["prediction_surface_voxels"] = r.PredictionSurfaceVoxels,
                    ["reference_empty"] = r.ReferenceEmpty,
                    ["prediction_empty"] = r.PredictionEmpty,
                }).ToList(),
            }).ToList(),
        };
        return JsonSerializer.Serialize(document, Indented) + "\n";
    }

    /// <summary>One row per case × class, in case order then class order, under a header of <see cref="CaseColumns"/>.</summary>
    public static string CasesCsv(MetricsReport report)
    {
        var csv = new StringBuilder();
        AppendRow(csv, CaseColumns);
        foreach (var scored in report.Cases)
            for (int c = 0; c < scored.Classes.Count; c++)
            {
                var r = scored.Classes[c];
                AppendRow(csv,
                [
                    scored.CaseId, Integer(r.Label), report.Classes[c].Name, Number(r.Dice), Number(r.Hd95Mm), Number(r.Nsd),
                    Number(r.NsdToleranceMm), Integer(r.ReferenceVoxels), Integer(r.PredictionVoxels), Integer(r.IntersectionVoxels),
                    Integer(r.ReferenceSurfaceVoxels), Integer(r.PredictionSurfaceVoxels), Flag(r.ReferenceEmpty), Flag(r.PredictionEmpty),
                ]);
            }
        return csv.ToString();
    }

    /// <summary>One row per class under a header of <see cref="SummaryColumns"/>.</summary>
    public static string SummaryCsv(MetricsReport report)
    {
        var csv = new StringBuilder();
        AppendRow(csv, SummaryColumns);
        foreach (var s in report.Summaries)
        {
            var row = new List<string>
            {
                Integer(s.Class.Label), s.Class.Name, Integer(s.Cases), Integer(s.ReferenceEmpty), Integer(s.PredictionEmpty), Integer(s.BothEmpty),
            };
            foreach (var statistics in new[] { s.Dice, s.Hd95Mm, s.Nsd })
                row.AddRange([Integer(statistics.Count), Number(statistics.Mean), Number(statistics.StandardDeviation), Number(statistics.Median)]);
            AppendRow(csv, row);
        }
        return csv.ToString();
    }

    private static Dictionary<string, object?> Statistics(SummaryStatistics statistics) => new()
    {
        ["count"] = statistics.Count,
        ["mean"] = JsonNumber.OrNull(statistics.Mean),
        ["std"] = JsonNumber.OrNull(statistics.StandardDeviation),
        ["median"] = JsonNumber.OrNull(statistics.Median),
    };

    private static string Number(double value) => double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";

    private static void AppendRow(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (int f = 0; f < fields.Count; f++)
        {
            if (f > 0) csv.Append(',');
            csv.Append(Escape(fields[f]));
        }
        csv.Append('\n');
    }

    /// <summary>RFC 4180 quoting for fields (case ids, class names) that contain a comma, quote or line break.</summary>
    private static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
