using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Core.Plugins;
using Pipeline.Core.Training;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>cross-validate</c> stage: k-fold cross-validation of the manifest's model on one dataset (the paper's FLARE
/// numbers are 5-fold means). The labelled cases of <c>case_splits</c> are dealt into folds
/// (<see cref="CrossValidationSplit"/>, recorded in <c>STAGE/splits.json</c>, or taken from <c>splits_file</c>);
/// each fold trains with the <c>train</c> options on the other folds' cases and is scored on its own with Dice, HD95
/// and NSD (<see cref="CrossValidationFold"/>, in <c>STAGE/fold_K/</c>). The table over the folds
/// (<see cref="CrossValidationSummary"/>: per-fold class means, their mean ± std over the folds, and the pooled
/// held-out cases) is written to <c>cv_summary.json</c>, <c>cv_summary.csv</c> and <c>cv_summary.md</c> once every
/// fold asked for is done.
/// <para>Each fold is its own restartable unit: running the stage again (<c>pipeline run --resume</c>) skips the folds
/// that are done, continues an interrupted fold from its <c>latest.ckpt</c> and starts the others.</para>
/// </summary>
[ExportStage("cross-validate", "1.0.0", "k-fold cross-validation: each fold trains and is scored (Dice, HD95, NSD) as a restartable unit; table over folds.")]
public sealed class CrossValidationStage : IResumableStage
{
    /// <summary>The folds, nnU-Net's <c>splits_final.json</c> layout.</summary>
    public const string SplitsFile = "splits.json";

    /// <summary>The summary, JSON.</summary>
    public const string SummaryJsonFile = "cv_summary.json";

    /// <summary>The summary, CSV (one row per fold/summary and class).</summary>
    public const string SummaryCsvFile = "cv_summary.csv";

    /// <summary>The summary, markdown tables.</summary>
    public const string SummaryMarkdownFile = "cv_summary.md";

    /// <inheritdoc />
    public Type OptionsType => typeof(CrossValidationOptions);

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken)
    {
        var typed = StageOptionChecks.Require<CrossValidationOptions>(options, context.StageName);
        StageOptionChecks.Require<TrainOptions>(typed.Train, $"{context.StageName}.train");
        return Task.Run(() => Run(context, typed, cancellationToken), CancellationToken.None);
    }

    private static StageResult Run(StageContext context, CrossValidationOptions options, CancellationToken cancellationToken)
    {
        string datasetName = options.Train.Dataset;
        var dataset = context.Datasets.Get(datasetName);
        if (dataset.ClassNames.Count < 2)
            throw new InvalidOperationException($"Stage '{context.StageName}': dataset '{datasetName}' has no foreground class to score.");
        var folds = Folds(context, options, dataset, datasetName);
        var runFolds = options.RunFolds.Length == 0 ? Enumerable.Range(0, folds.Count).ToArray() : options.RunFolds;
        var outside = runFolds.Where(f => f >= folds.Count).ToList();
        if (outside.Count > 0)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': run_folds lists fold(s) {string.Join(", ", outside)}, but there are {folds.Count} folds (0..{folds.Count - 1}).");
        string splitsPath = Path.Combine(context.StageDirectory, SplitsFile);
        CrossValidationSplit.Save(splitsPath, folds);
        context.Logger.LogInformation("Cross-validating on {Dataset}: {Folds} folds ({Cases} cases), running fold(s) {Run}; folds written to {Path}.",
            datasetName, folds.Count, folds.Sum(f => f.Validation.Count), string.Join(", ", runFolds), splitsPath);

        // The per-fold records are rewritten below for every fold, done before or not.
        context.Metrics.RemoveRecords(record => MetricsRecord.Stage(record) == context.StageName);
        var result = new StageResult();
        result.Artifacts["splits"] = splitsPath;
        var done = new List<CrossValidationFoldResult>();
        foreach (int fold in runFolds)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                result.Interrupted = true;
                break;
            }
            var unit = new CrossValidationFold(context, options, dataset, fold, folds[fold].Train, folds[fold].Validation);
            var outcome = unit.Run(cancellationToken);
            if (outcome is null)
            {
                result.Interrupted = true;
                break;
            }
            done.Add(outcome);
            result.Artifacts[$"fold_{fold}_model"] = Path.GetFullPath(Path.Combine(context.StageDirectory, CrossValidationFold.FolderName(fold), outcome.Checkpoint));
            context.Metrics.Write(new Dictionary<string, object?>
            {
                ["stage"] = context.StageName,
                ["fold"] = fold,
                ["cases"] = outcome.Cases.Count,
                ["mean_dice"] = JsonNumber.OrNull(outcome.MeanDice),
                ["mean_hd95_mm"] = JsonNumber.OrNull(outcome.MeanHd95Mm),
                ["mean_nsd"] = JsonNumber.OrNull(outcome.MeanNsd),
            });
        }
        result.Summary["folds_done"] = done.Count;
        result.Summary["folds"] = runFolds.Length;
        if (result.Interrupted)
        {
            context.Logger.LogWarning("Cross-validation interrupted with {Done} of {Folds} fold(s) done; run it again to continue.", done.Count, runFolds.Length);
            return result;
        }

        var summary = new CrossValidationSummary(datasetName, CrossValidationFold.ScoredClasses(dataset), done, options);
        foreach (var (artifact, path) in summary.WriteAll(context.StageDirectory))
            result.Artifacts[artifact] = path;
        result.Summary["mean_dice"] = JsonNumber.OrNull(summary.AcrossFolds.MeanDice.Mean);
        result.Summary["mean_dice_std"] = JsonNumber.OrNull(summary.AcrossFolds.MeanDice.StandardDeviation);
        result.Summary["mean_hd95_mm"] = JsonNumber.OrNull(summary.AcrossFolds.MeanHd95Mm.Mean);
        result.Summary["mean_nsd"] = JsonNumber.OrNull(summary.AcrossFolds.MeanNsd.Mean);
        result.Summary["pooled_mean_dice"] = JsonNumber.OrNull(summary.Pooled.MeanDice);
        result.Summary["pooled_cases"] = summary.Pooled.Cases.Count;
        context.Logger.LogInformation("Cross-validation: mean Dice {Dice:F4} ± {Std:F4} over {Folds} folds; pooled over {Cases} cases {Pooled:F4}.",
            summary.AcrossFolds.MeanDice.Mean, summary.AcrossFolds.MeanDice.StandardDeviation, done.Count, summary.Pooled.Cases.Count, summary.Pooled.MeanDice);
        return result;
    }

    /// <summary>The folds: from <c>splits_file</c>, or dealt from the cases of <c>case_splits</c>; every held-out case in one fold only.</summary>
    private static IReadOnlyList<(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)> Folds(
        StageContext context, CrossValidationOptions options, ISegmentationDataset dataset, string datasetName)
    {
        var cases = options.CaseSplits
            .SelectMany(split => StageOptionChecks.RequireSplit(dataset, datasetName, split, "case_splits", context.StageName))
            .Distinct().ToList();
        IReadOnlyList<(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)> folds;
        if (options.SplitsFile is { } file)
        {
            folds = CrossValidationSplit.Load(file);
            var known = cases.ToHashSet(StringComparer.Ordinal);
            var unknown = folds.SelectMany(f => f.Train.Concat(f.Validation)).Where(id => !known.Contains(id)).Distinct().ToList();
            if (unknown.Count > 0)
                throw new InvalidOperationException(
                    $"Stage '{context.StageName}': splits_file '{file}' names case(s) that are not in {string.Join(" + ", options.CaseSplits)} of " +
                    $"dataset '{datasetName}': {string.Join(", ", unknown.Take(10))}.");
            var twice = folds.SelectMany(f => f.Validation).GroupBy(id => id).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
                throw new InvalidOperationException($"Stage '{context.StageName}': splits_file '{file}' holds case '{twice.Key}' out in more than one fold.");
        }
        else
        {
            try
            {
                folds = CrossValidationSplit.Create(cases, options.Folds, options.SplitSeed);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"Stage '{context.StageName}': {e.Message} (case_splits: {string.Join(", ", options.CaseSplits)}).", e);
            }
        }
        return folds;
    }
}
