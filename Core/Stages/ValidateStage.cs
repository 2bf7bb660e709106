using Pipeline.Core.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Engine;
using Pipeline.Core.Inference;
using Pipeline.Core.Plugins;
using Pipeline.Core.Training;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>validate</c> stage: loads a training stage's checkpoint, folds its weight prior away, predicts every case of
/// a split with sliding windows and scores the argmax with per-class Dice (see <see cref="DiceScore"/> for the rule on
/// empty classes). Writes <c>dice.csv</c> (one row per case, one column per foreground class, <c>NaN</c> where
/// undefined) and <c>results.json</c> (per-case and mean values, undefined as null) into the stage folder, each
/// atomically.
/// </summary>
[ExportStage("validate", "1.0.0", "Scores a trained checkpoint on a split with sliding windows and per-class Dice.")]
public sealed class ValidateStage : IStage
{
    /// <summary>File name of the per-case table.</summary>
    public const string DiceCsvFile = "dice.csv";

    /// <summary>File name of the full results.</summary>
    public const string ResultsJsonFile = "results.json";

    /// <inheritdoc />
    public Type OptionsType => typeof(ValidateOptions);

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken)
    {
        var typed = StageOptionChecks.Require<ValidateOptions>(options, context.StageName);
        // Long synchronous work on one thread (TorchSharp's dispose scopes are per thread).
        return Task.Run(() => Run(context, typed, cancellationToken), CancellationToken.None);
    }

    private static StageResult Run(StageContext context, ValidateOptions options, CancellationToken cancellationToken)
    {
        string checkpointPath = CheckpointPath(context, options);
        var dataset = context.Datasets.Get(options.Dataset);
        var caseIds = StageOptionChecks.RequireSplit(dataset, options.Dataset, options.Split, "split", context.StageName);

        using var network = context.Models.Load(checkpointPath);
        context.Models.Fold(network);
        StageOptionChecks.RequireCompatible(network, dataset, options.Dataset, context.StageName);
        StageOptionChecks.RequireDivisible(network, options.RoiSize, "roi_size", context.StageName);
        network.eval();

        // Each case is used once, so nothing is cached.
        using var cases = new CaseStore(dataset, caseIds, keepInMemory: false);
        // HD95 and NSD on the validation grid; Dice keeps the validate stage's rule (undefined where a class is absent from both).
        var surfaceOptions = options.SurfaceMetrics
            ? new Metrics.MetricOptions { NsdToleranceMm = options.NsdToleranceMm, EmptyReference = Metrics.EmptyReferencePolicy.IgnoreWhenBothEmpty }
            : null;
        var largestComponent = options.LargestComponent();
        StageOptionChecks.RequireClasses(options.KeepLargestComponent, dataset.ClassNames.Count,
            $"dataset '{options.Dataset}' ({string.Join(", ", dataset.ClassNames)})", "keep_largest_component", context.StageName);
        var evaluator = new SegmentationEvaluator(
            new SlidingWindowInference(options.RoiSize, options.Overlap, options.SwBatchSize), context.Device, surfaceOptions, largestComponent);
        var foregroundNames = dataset.ClassNames.Skip(1).ToArray();
        int scored = 0;
        var evaluation = evaluator.Evaluate(network, cases, dataset.ClassNames, cancellationToken, caseDice =>
        {
            scored++;
            var byClass = foregroundNames.Select((name, k) => (name, value: (object?)JsonNumber.OrNull(caseDice.Dice[k])))
                                         .ToDictionary(pair => pair.name, pair => pair.value);
            context.Metrics.Write(new Dictionary<string, object?>
            {
                ["stage"] = context.StageName,
                ["case"] = caseDice.CaseId,
                ["dice"] = byClass,
            });
            context.Progress.Report(new ProgressUpdate(context.StageName, scored, caseIds.Count,
                new Dictionary<string, double> { ["dice"] = DiceScore.MeanIgnoringNaN(caseDice.Dice) }));
        });
        context.Progress.Complete(context.StageName);

        var result = new StageResult();
        if (evaluation is null)
        {
            context.Logger.LogWarning("Validation interrupted after {Scored} of {Total} cases; no results written.", scored, caseIds.Count);
            result.Interrupted = true;
            result.Summary["cases"] = scored;
            return result;
        }

        string csvPath = Path.Combine(context.StageDirectory, DiceCsvFile);
        string jsonPath = Path.Combine(context.StageDirectory, ResultsJsonFile);
        AtomicFile.WriteAllText(csvPath, DiceCsv(evaluation));
        AtomicFile.WriteAllText(jsonPath, ResultsJson(evaluation, options, checkpointPath));
        context.Metrics.Write(new Dictionary<string, object?>
        {
            ["stage"] = context.StageName,
            ["mean_dice"] = JsonNumber.OrNull(evaluation.MeanDice),
            ["dice"] = evaluation.DiceByClass(),
        });
        context.Logger.LogInformation("Mean Dice over {Cases} cases of {Dataset}/{Split}: {Dice:F4}.",
            evaluation.Cases.Count, options.Dataset, options.Split, evaluation.MeanDice);

        result.Summary["mean_dice"] = JsonNumber.OrNull(evaluation.MeanDice);
        result.Summary["dice"] = evaluation.DiceByClass();
        result.Summary["cases"] = evaluation.Cases.Count;
        if (surfaceOptions is not null)
        {
            var classes = foregroundNames.Select((name, k) => new Metrics.MetricClass(k + 1, name)).ToList();
            var report = new Metrics.MetricsReport(classes, evaluation.Cases.Select(c => c.Surface!).ToList(), surfaceOptions);
            Metrics.MetricsReportWriter.WriteAll(context.StageDirectory, report);
            result.Summary["mean_hd95_mm"] = JsonNumber.OrNull(report.MeanHd95Mm);
            result.Summary["mean_nsd"] = JsonNumber.OrNull(report.MeanNsd);
            result.Summary["hd95_mm"] = report.Summaries.ToDictionary(s => s.Class.Name, s => (object?)JsonNumber.OrNull(s.Hd95Mm.Mean));
            result.Artifacts["metrics_json"] = Path.Combine(context.StageDirectory, Metrics.MetricsReportWriter.JsonFile);
            context.Logger.LogInformation("Mean HD95 {Hd95:F2} mm, mean NSD ({Tolerance} mm) {Nsd:F4}.", report.MeanHd95Mm, options.NsdToleranceMm, report.MeanNsd);
        }
        result.Artifacts["dice_csv"] = csvPath;
        result.Artifacts["results_json"] = jsonPath;
        return result;
    }

    /// <summary>The checkpoint the options point at; throws naming the option when the training stage lacks it.</summary>
    private static string CheckpointPath(StageContext context, ValidateOptions options) =>
        StageCheckpoints.Path(context, options.Model, options.Checkpoint);

    private static string Name(CheckpointChoice choice) => choice.ToString().ToLowerInvariant();

    /// <summary>CSV: <c>case</c> then one column per foreground class; invariant culture; <c>NaN</c> where undefined.</summary>
    private static string DiceCsv(EvaluationResult evaluation)
    {
        var csv = new StringBuilder();
        csv.Append("case,").AppendJoin(',', evaluation.ClassNames).Append('\n');
        foreach (var caseDice in evaluation.Cases)
            csv.Append(caseDice.CaseId).Append(',')
               .AppendJoin(',', caseDice.Dice.Select(v => double.IsNaN(v) ? "NaN" : v.ToString("0.######", CultureInfo.InvariantCulture)))
               .Append('\n');
        return csv.ToString();
    }

    private static string ResultsJson(EvaluationResult evaluation, ValidateOptions options, string checkpointPath)
    {
        var document = new Dictionary<string, object?>
        {
            ["model_stage"] = options.Model,
            ["checkpoint"] = Name(options.Checkpoint),
            ["checkpoint_path"] = checkpointPath,
            ["dataset"] = options.Dataset,
            ["split"] = options.Split,
            ["classes"] = evaluation.ClassNames,
            ["empty_class_rule"] = "Dice is null where a class is absent from both reference and prediction; means skip those.",
            ["keep_largest_component"] = options.KeepLargestComponent,
            ["component_connectivity"] = options.ComponentConnectivity,
            ["mean_dice"] = JsonNumber.OrNull(evaluation.MeanDice),
            ["dice"] = evaluation.DiceByClass(),
            ["cases"] = evaluation.Cases.Select(c => new Dictionary<string, object?>
            {
                ["case"] = c.CaseId,
                ["dice"] = evaluation.DiceByClass(c),
            }).ToList(),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
