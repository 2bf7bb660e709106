using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Core.Inference;
using Pipeline.Core.IO;
using Pipeline.Core.Metrics;
using Pipeline.Core.Training;
using static TorchSharp.torch;

namespace Pipeline.Core.Stages;

/// <summary>
/// One fold of the <c>cross-validate</c> stage, a unit that can be skipped, continued or redone on its own, in
/// <c>STAGE/fold_K/</c>:
/// <list type="bullet">
/// <item><c>fold.json</c>: the fold's cases and the hash of what its training depends on, written before training;</item>
/// <item><c>checkpoints/latest.ckpt</c>, <c>best.ckpt</c>: the fold's training (the train stage's loop, metrics records
/// under the stage name <c>STAGE/fold_K</c>);</item>
/// <item><c>metrics.json</c>, <c>metrics_cases.csv</c>, <c>metrics_summary.csv</c>: Dice, HD95 and NSD of the held-out
/// cases;</item>
/// <item><c>fold_result.json</c>: written last; its presence marks the fold done.</item>
/// </list>
/// A fold whose result matches the current options is skipped. A fold whose training matches but was not finished (or
/// whose scoring options changed) continues from its <c>latest.ckpt</c>, exactly as a resumed train stage does;
/// anything else starts the fold over.
/// </summary>
internal sealed class CrossValidationFold(StageContext context, CrossValidationOptions options, ISegmentationDataset dataset,
                                          int fold, IReadOnlyList<string> train, IReadOnlyList<string> validation)
{
    /// <summary>The fold's plan file.</summary>
    public const string PlanFile = "fold.json";

    /// <summary>The fold's done marker and result.</summary>
    public const string ResultFile = "fold_result.json";

    private readonly string _folder = Path.Combine(context.StageDirectory, FolderName(fold));

    /// <summary>The fold's folder name inside the stage folder.</summary>
    public static string FolderName(int fold) => $"fold_{fold}";

    /// <summary>The stage name the fold's training records carry.</summary>
    public string StageName => $"{context.StageName}/{FolderName(fold)}";

    /// <summary>Runs (or skips) the fold; null when it was interrupted.</summary>
    public CrossValidationFoldResult? Run(CancellationToken cancellationToken)
    {
        string trainingFingerprint = TrainingFingerprint();
        string resultFingerprint = Hash(trainingFingerprint, options.Checkpoint.ToString(), string.Join(",", options.EffectiveRoiSize()),
            Number(options.Overlap), options.SwBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Number(options.NsdToleranceMm));
        string resultPath = Path.Combine(_folder, ResultFile);
        if (File.Exists(resultPath))
        {
            if (CrossValidationFoldResult.TryRead(resultPath) is { } done && done.Fingerprint == resultFingerprint)
            {
                context.Logger.LogInformation("Fold {Fold} is done ({Path}); skipped.", fold, resultPath);
                return done;
            }
            context.Logger.LogWarning("Fold {Fold}: {Path} was made with other options or cases; the fold is redone.", fold, resultPath);
            File.Delete(resultPath);
        }

        string planPath = Path.Combine(_folder, PlanFile);
        string checkpoints = Path.Combine(_folder, "checkpoints");
        bool continues = PlannedFingerprint(planPath) == trainingFingerprint;
        if (continues)
        {
            // AtomicFile names its temporary files ".<target>.<guid>.tmp"; a process killed mid-write leaves one behind.
            if (Directory.Exists(checkpoints))
                foreach (string stale in Directory.EnumerateFiles(checkpoints, ".*.tmp")) File.Delete(stale);
            context.Logger.LogInformation("Fold {Fold}: continuing its training in {Folder}.", fold, _folder);
        }
        else
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
            context.Metrics.RemoveRecords(record => MetricsRecord.Stage(record) == StageName);
            Directory.CreateDirectory(_folder);
            AtomicFile.WriteAllText(planPath, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["fold"] = fold,
                ["training_fingerprint"] = trainingFingerprint,
                ["train"] = train,
                ["validation"] = validation,
            }, CrossValidationFoldResult.Json) + "\n");
            context.Logger.LogInformation("Fold {Fold}: training on {Train} cases, {Validation} held out.", fold, train.Count, validation.Count);
        }

        var foldData = new FoldDataset(dataset, options.Train.TrainSplit, train, options.Train.ValidationSplit, validation);
        var foldContext = DerivedStageContext.With(context, stageName: StageName, stageDirectory: _folder,
            checkpointDirectory: Directory.CreateDirectory(checkpoints).FullName,
            datasets: new FoldDatasetCatalog(context.Datasets, options.Train.Dataset, foldData), resume: continues);
        var training = new TrainRun(foldContext, options.Train, cancellationToken).Run();
        if (training.Interrupted) return null;

        string artifact = options.Checkpoint == CheckpointChoice.Best ? TrainStage.BestModelArtifact : TrainStage.LatestModelArtifact;
        if (!training.Artifacts.TryGetValue(artifact, out var checkpoint))
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': fold {fold} has no {options.Checkpoint.ToString().ToLowerInvariant()} checkpoint " +
                "(no validation of its training gave a defined metric); use checkpoint: latest.");
        var cases = Score(checkpoint, cancellationToken);
        if (cases is null) return null;

        var classes = ScoredClasses(dataset);
        var report = new MetricsReport(classes, cases, MetricOptions());
        MetricsReportWriter.WriteAll(_folder, report);
        var result = new CrossValidationFoldResult
        {
            Fold = fold,
            Fingerprint = resultFingerprint,
            Checkpoint = Path.GetRelativePath(_folder, checkpoint),
            Training = training.Summary.ToDictionary(pair => pair.Key, pair => JsonSerializer.SerializeToElement(pair.Value)),
            MeanDice = report.MeanDice,
            MeanHd95Mm = report.MeanHd95Mm,
            MeanNsd = report.MeanNsd,
            Cases = cases,
        };
        AtomicFile.WriteAllText(resultPath, JsonSerializer.Serialize(result, CrossValidationFoldResult.Json) + "\n");
        context.Logger.LogInformation("Fold {Fold}: mean Dice {Dice:F4}, HD95 {Hd95:F2} mm, NSD {Nsd:F4} over {Cases} held-out cases.",
            fold, report.MeanDice, report.MeanHd95Mm, report.MeanNsd, cases.Count);
        return result;
    }

    /// <summary>The dataset's foreground classes, as scored (label value = class index).</summary>
    public static IReadOnlyList<MetricClass> ScoredClasses(ISegmentationDataset dataset) =>
        dataset.ClassNames.Skip(1).Select((name, k) => new MetricClass(k + 1, name)).ToList();

    private MetricOptions MetricOptions() => new() { NsdToleranceMm = options.NsdToleranceMm };

    /// <summary>Dice, HD95 and NSD of every held-out case; null when cancelled.</summary>
    private List<CaseMetrics>? Score(string checkpoint, CancellationToken cancellationToken)
    {
        using var network = context.Models.Load(checkpoint);
        context.Models.Fold(network);
        StageOptionChecks.RequireDivisible(network, options.EffectiveRoiSize(), "roi_size", context.StageName);
        network.eval();
        var inference = new SlidingWindowInference(options.EffectiveRoiSize(), options.Overlap, options.SwBatchSize);
        var labels = Enumerable.Range(1, dataset.ClassNames.Count - 1).Select(k => (long)k).ToList();
        var metricOptions = MetricOptions();
        var cases = new List<CaseMetrics>(validation.Count);
        using var noGrad = no_grad();
        foreach (var id in validation)
        {
            if (cancellationToken.IsCancellationRequested) return null;
            using var scope = NewDisposeScope();
            using var source = dataset.Load(id);
            if (source.Label is null)
                throw new InvalidOperationException($"Stage '{context.StageName}': case '{id}' has no label map; cross-validation scores labelled cases only.");
            var logits = inference.Predict(network.call, source.Image.unsqueeze(0).to(context.Device));
            var prediction = logits.argmax(1)[0].cpu();
            cases.Add(SegmentationMetrics.ComputeCase(id, prediction, source.Label, source.Spacing, labels, metricOptions));
            context.Progress.Report(new ProgressUpdate(StageName, cases.Count, validation.Count,
                new Dictionary<string, double> { ["dice"] = SummaryStatistics.MeanOf(cases[^1].Classes.Select(c => c.Dice)) }));
        }
        context.Progress.Complete(StageName);
        return cases;
    }

    /// <summary>The hash of what the fold's training depends on.</summary>
    private string TrainingFingerprint() => Hash(
        fold.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join("\n", train), string.Join("\n", validation),
        JsonSerializer.Serialize(options.Train, ModelCheckpoint.OptionsJson), context.Models.BackboneName, context.Models.PriorName,
        context.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The training fingerprint recorded in the fold's plan, or null when there is none (or it is unreadable).</summary>
    private static string? PlannedFingerprint(string planPath)
    {
        if (!File.Exists(planPath)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(planPath));
            return document.RootElement.TryGetProperty("training_fingerprint", out var value) ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts))));
}
