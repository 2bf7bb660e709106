using System.Text.Json;
using NSubstitute;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Core.Stages;
using Pipeline.Tests.Training;

namespace Pipeline.Tests.Stages;

/// <summary>Two-fold cross-validation of the tiny network on six 16³ phantoms, a few iterations per fold.</summary>
[Collection(TrainingStagesCollection.Name)]
public sealed class CrossValidationStageTests
{
    private const string Stage = "cv";

    private static StageTestBed Bed() => new(size: 16, cases: 4, validationCases: 2);

    private static CrossValidationOptions Options(double overlap = 0)
    {
        var train = TrainStageTests.TinyOptions(4);
        train.ValidateEvery = 0;
        train.LogEvery = 1;
        train.CheckpointEvery = 1;
        return new CrossValidationOptions
        {
            Train = train, Folds = 2, SplitSeed = 7, CaseSplits = ["train", "validation"],
            Checkpoint = CheckpointChoice.Latest, Overlap = overlap, SwBatchSize = 1,
        };
    }

    private static string Metrics(StageTestBed bed) => Path.Combine(bed.RunDirectory, "metrics.jsonl");

    private static string Folder(StageTestBed bed, params string[] parts) => Path.Combine([bed.RunDirectory, Stage, .. parts]);

    private static async Task<StageResult> Run(StageTestBed bed, CrossValidationOptions options, bool resume, CancellationToken token = default)
    {
        using var metrics = new JsonlMetricsSink(Metrics(bed), Path.Combine(bed.RunDirectory, "tensorboard"));
        return await new CrossValidationStage().RunAsync(bed.Context(Stage, metrics: metrics, resume: resume), options, token);
    }

    /// <summary>The records of <paramref name="stage"/> in the bed's metrics file.</summary>
    private static List<JsonElement> Records(StageTestBed bed, string stage) =>
        TrainTestRuns.Records(Metrics(bed)).Where(r => MetricsRecord.Stage(r) == stage).ToList();

    [Fact]
    public async Task TwoFoldsTrainAndScoreInTheirOwnFoldersAndAreSummarised()
    {
        using var bed = Bed();
        var result = await Run(bed, Options(), resume: false);

        Assert.False(result.Interrupted);
        var folds = CrossValidationSplit.Load(Folder(bed, CrossValidationStage.SplitsFile));
        Assert.Equal(2, folds.Count);
        var allCases = bed.Dataset.Splits["train"].Concat(bed.Dataset.Splits["validation"]).Order().ToList();
        Assert.Equal(allCases, folds.SelectMany(f => f.Validation).Order().ToList());
        for (int fold = 0; fold < 2; fold++)
        {
            foreach (var file in new[] { "fold.json", "fold_result.json", "metrics.json", "metrics_cases.csv", "metrics_summary.csv", "checkpoints/latest.ckpt" })
                Assert.True(File.Exists(Folder(bed, $"fold_{fold}", file)), $"fold_{fold}/{file} is missing");
            var done = CrossValidationFoldResult.TryRead(Folder(bed, $"fold_{fold}", "fold_result.json"))!;
            Assert.Equal(folds[fold].Validation, done.Cases.Select(c => c.CaseId));
            Assert.All(done.Cases, c => Assert.Equal([1L, 2L, 3L], c.Classes.Select(k => k.Label)));
            // The fold's training records (one loss record per iteration) carry the fold's own stage name.
            Assert.Equal([1L, 2L, 3L, 4L], Records(bed, $"{Stage}/fold_{fold}").Select(r => MetricsRecord.Iteration(r)!.Value));
            Assert.Equal(Path.GetFullPath(Folder(bed, $"fold_{fold}", "checkpoints", "latest.ckpt")), result.Artifacts[$"fold_{fold}_model"]);
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Folder(bed, CrossValidationStage.SummaryJsonFile)));
        var root = summary.RootElement;
        Assert.Equal(["ellipsoid", "tube", "shell"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var foldMeans = root.GetProperty("per_fold").EnumerateArray().Select(f => f.GetProperty("mean_dice").GetDouble()).ToList();
        Assert.Equal(2, foldMeans.Count);
        var across = root.GetProperty("across_folds").GetProperty("mean_dice");
        Assert.Equal(foldMeans.Average(), across.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(Math.Abs(foldMeans[0] - foldMeans[1]) / Math.Sqrt(2), across.GetProperty("std").GetDouble(), 12);
        Assert.Equal(6, root.GetProperty("pooled").GetProperty("cases").GetInt32());
        Assert.Equal(foldMeans.Average(), (double)result.Summary["mean_dice"]!, 12);
        Assert.Equal(root.GetProperty("pooled").GetProperty("mean_dice").GetDouble(), (double)result.Summary["pooled_mean_dice"]!, 12);

        var csv = File.ReadAllLines(Folder(bed, CrossValidationStage.SummaryCsvFile));
        Assert.Equal("scope,fold,class,cases,dice,dice_std,hd95_mm,hd95_mm_std,nsd,nsd_std", csv[0]);
        Assert.Equal(2 * 4 + 4 + 4, csv.Length - 1);
        Assert.Contains(csv, line => line.StartsWith("across_folds,,mean,2,", StringComparison.Ordinal));
        Assert.Contains(csv, line => line.StartsWith("pooled,,tube,6,", StringComparison.Ordinal));
        string markdown = File.ReadAllText(Folder(bed, CrossValidationStage.SummaryMarkdownFile));
        Assert.Contains("## HD95 (mm)", markdown);
        Assert.Contains("| fold 1 | 3 |", markdown);
        Assert.Contains("| over folds | 6 |", markdown);
        Assert.Contains("| pooled | 6 |", markdown);
        // One record per fold under the stage's own name.
        Assert.Equal([0, 1], Records(bed, Stage).Select(r => r.GetProperty("fold").GetInt32()));
    }

    [Fact]
    public async Task RunningAgainSkipsDoneFoldsAndContinuesAnInterruptedOne()
    {
        using var reference = Bed();
        await Run(reference, Options(), resume: false);

        using var bed = Bed();
        var steps = new List<(string Stage, long Step)>();
        bool armed = true;
        using var cancellation = new CancellationTokenSource();
        bed.Progress.When(p => p.Report(Arg.Any<ProgressUpdate>())).Do(call =>
        {
            var update = call.Arg<ProgressUpdate>();
            steps.Add((update.Stage, update.Step));
            if (armed && update.Stage == $"{Stage}/fold_1" && update.Step == 2) cancellation.Cancel();
        });
        var stopped = await Run(bed, Options(), resume: false, cancellation.Token);

        Assert.True(stopped.Interrupted);
        Assert.Equal(1, stopped.Summary["folds_done"]);
        Assert.False(File.Exists(Folder(bed, CrossValidationStage.SummaryJsonFile)));
        Assert.False(File.Exists(Folder(bed, "fold_1", "fold_result.json")));
        string doneMarker = Folder(bed, "fold_0", "fold_result.json");
        var doneAt = File.GetLastWriteTimeUtc(doneMarker);
        string doneText = File.ReadAllText(doneMarker);
        int foldZeroRecords = Records(bed, $"{Stage}/fold_0").Count;

        armed = false;
        steps.Clear();
        var resumed = await Run(bed, Options(), resume: true);

        Assert.False(resumed.Interrupted);
        // Fold 0 was not touched: no training or scoring step, the same done marker, no new records.
        Assert.DoesNotContain(steps, s => s.Stage == $"{Stage}/fold_0");
        Assert.Equal(doneAt, File.GetLastWriteTimeUtc(doneMarker));
        Assert.Equal(doneText, File.ReadAllText(doneMarker));
        Assert.Equal(foldZeroRecords, Records(bed, $"{Stage}/fold_0").Count);
        // Fold 1 went on after its step 2 (training steps 3 and 4, then its 3 held-out cases).
        Assert.Equal([3L, 4L, 1L, 2L, 3L], steps.Where(s => s.Stage == $"{Stage}/fold_1").Select(s => s.Step));
        // ... and computed exactly what the uninterrupted run did.
        Assert.Equal(TrainTestRuns.LossCurve(Metrics(reference)), TrainTestRuns.LossCurve(Metrics(bed)));
        Assert.Equal(File.ReadAllText(Folder(reference, CrossValidationStage.SummaryCsvFile)), File.ReadAllText(Folder(bed, CrossValidationStage.SummaryCsvFile)));
        Assert.Equal([0, 1], Records(bed, Stage).Select(r => r.GetProperty("fold").GetInt32()));

        // Other scoring options redo the scoring of every fold, not its training.
        steps.Clear();
        int lossRecords = TrainTestRuns.LossCurve(Metrics(bed)).Count;
        await Run(bed, Options(overlap: 0.5), resume: false);
        Assert.Equal(lossRecords, TrainTestRuns.LossCurve(Metrics(bed)).Count);
        Assert.Equal([1L, 2L, 3L, 1L, 2L, 3L], steps.Select(s => s.Step));
        Assert.NotEqual(doneText, File.ReadAllText(doneMarker));
    }

    [Fact]
    public void OptionProblemsNameTheirKeys()
    {
        var options = Options();
        options.Folds = 1;
        options.RunFolds = [0, 0];
        options.Overlap = 1;
        Assert.Equal(["folds", "run_folds", "overlap"], options.Validate().Select(p => p.Key));
        var best = Options();
        best.Checkpoint = CheckpointChoice.Best;
        var problem = Assert.Single(best.Validate());
        Assert.Equal("checkpoint", problem.Key);
        Assert.Contains("validate_every", problem.Message);
    }
}
