using System.Globalization;
using Pipeline.Cli.Cli;
using Pipeline.Core.Evaluation;
using Pipeline.Core.Imaging;
using Pipeline.Core.Metrics;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline evaluate --prediction FILE_OR_DIR --reference FILE_OR_DIR [--labels ...] [--json]</c>: Dice, HD95 (mm)
/// and normalised surface Dice per case and class for NIfTI label maps, with per-class mean / std / median. Folders are
/// paired by file name. <c>--labels</c> takes <c>1,2</c> or <c>liver=1,tumor=2</c> (default: every non-zero reference
/// value); <c>--tolerance</c> is the NSD tolerance in mm; <c>--empty</c> the empty-reference rule; <c>--out</c> writes
/// metrics.json, metrics_cases.csv and metrics_summary.csv.
/// </summary>
public sealed class EvaluateCommand(CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "evaluate";

    /// <inheritdoc />
    public string Usage =>
        "pipeline evaluate --prediction FILE_OR_DIR --reference FILE_OR_DIR [--labels 1,2|name=1,...] [--tolerance MM] [--empty score|ignore|ignore-both] [--out DIR] [--json]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["prediction", "reference", "labels", "tolerance", "empty", "out", "json"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string prediction = line.Value("prediction") ?? throw new CommandLineException($"--prediction is required. Usage: {Usage}");
        string reference = line.Value("reference") ?? throw new CommandLineException($"--reference is required. Usage: {Usage}");
        var classes = line.Value("labels") is { } labels ? ParseLabels(labels) : null;
        var options = new MetricOptions
        {
            NsdToleranceMm = line.Value("tolerance") is { } tolerance ? ParsePositive(tolerance, "--tolerance") : MetricOptions.DefaultNsdToleranceMm,
            EmptyReference = (line.Value("empty") ?? "score") switch
            {
                "score" => EmptyReferencePolicy.Score,
                "ignore" => EmptyReferencePolicy.Ignore,
                "ignore-both" => EmptyReferencePolicy.IgnoreWhenBothEmpty,
                var other => throw new CommandLineException($"--empty must be score, ignore or ignore-both, not '{other}'."),
            },
        };

        MetricsReport report;
        try
        {
            var pairs = LabelFilePair.Match(prediction, reference);
            report = new LabelMapEvaluator(new VolumeFileReader()).Evaluate(pairs, classes, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
        {
            throw new UserFacingException(e.Message, e);
        }

        if (line.Value("out") is { } folder)
            foreach (var written in MetricsReportWriter.WriteAll(folder, report))
                output.Error.WriteLine($"wrote {written}");
        if (line.Flag("json"))
        {
            output.Out.WriteLine(MetricsReportWriter.Json(report));
            return Task.FromResult(0);
        }
        output.Out.WriteLine($"{report.Cases.Count} case(s); NSD tolerance {options.NsdToleranceMm:G4} mm; empty reference: {line.Value("empty") ?? "score"}");
        output.Out.WriteLine($"{"class",-20} {"cases",5} {"Dice mean±std",16} {"median",7} {"HD95 mm mean",13} {"median",8} {"NSD mean",9}");
        foreach (var summary in report.Summaries)
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Class.Name,-20} {summary.Cases,5} {summary.Dice.Mean,8:F4}±{summary.Dice.StandardDeviation,-7:F4} {summary.Dice.Median,7:F4} {summary.Hd95Mm.Mean,13:F2} {summary.Hd95Mm.Median,8:F2} {summary.Nsd.Mean,9:F4}"));
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"mean",-20} {"",5} {report.MeanDice,8:F4} {"",-7} {"",7} {report.MeanHd95Mm,13:F2} {"",8} {report.MeanNsd,9:F4}"));
        return Task.FromResult(0);
    }

    private static List<MetricClass> ParseLabels(string text)
    {
        var classes = new List<MetricClass>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2);
            string valueText = parts.Length == 2 ? parts[1] : parts[0];
            if (!long.TryParse(valueText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
                throw new CommandLineException($"--labels: '{item}' is not a positive label value (use 1,2 or name=1,name=2).");
            classes.Add(new MetricClass(value, parts.Length == 2 ? parts[0] : $"label_{value}"));
        }
        if (classes.Count == 0 || classes.Select(c => c.Label).Distinct().Count() != classes.Count)
            throw new CommandLineException($"--labels must list distinct positive label values, got '{text}'.");
        return classes;
    }

    private static double ParsePositive(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new CommandLineException($"{option} must be a positive number of millimetres, not '{text}'.");
}
