using NSubstitute;
using Pipeline.Core.Engine;
using Pipeline.Core.Stages;

namespace Pipeline.Tests.Training;

[Collection(TrainingStagesCollection.Name)]
public class TrainStageTests
{
    internal static TrainOptions TinyOptions(int iterations) => new()
    {
        Dataset = StageTestBed.DatasetName,
        Iterations = iterations,
        BatchSize = 2,
        PatchSize = [16, 16, 16],
        LearningRate = 3e-2,
        WeightDecay = 0.0,
        ForegroundRatio = 0.8,
        ValidateEvery = 60,
        LogEvery = 20,
        CheckpointEvery = 40,
        SwBatchSize = 1,
    };

    private static List<double> Losses(StageTestBed bed) =>
        bed.Records.Where(r => r.ContainsKey("loss")).Select(r => (double)r["loss"]!).ToList();

    [Fact]
    public async Task LearnsWritesMetricsAndSavesBestAndLatest()
    {
        using var bed = new StageTestBed();
        var result = await new TrainStage().RunAsync(bed.Context("train"), TinyOptions(120), CancellationToken.None);

        Assert.False(result.Interrupted);
        var losses = Losses(bed);
        Assert.Equal(6, losses.Count);
        Assert.True(losses[^1] < 0.75 * losses[0], $"loss should drop: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");

        var lossRecord = bed.Records.First(r => r.ContainsKey("loss"));
        Assert.Equal(["stage", "iteration", "loss", "dice_loss", "ce_loss", "lr", "seconds", "data_wait_ms", "step_ms"], lossRecord.Keys);
        Assert.InRange((double)lossRecord["data_wait_ms"]!, 0, (double)lossRecord["step_ms"]!);
        Assert.Equal("train", lossRecord["stage"]);
        Assert.Equal(20, lossRecord["iteration"]);

        var validations = bed.Records.Where(r => r.ContainsKey("validation_mean_dice")).ToList();
        Assert.Equal([60, 120], validations.Select(r => (int)r["iteration"]!));
        var perClass = Assert.IsType<Dictionary<string, object?>>(validations[^1]["validation_dice"]);
        Assert.Equal(["ellipsoid", "tube", "shell"], perClass.Keys);

        string latest = result.Artifacts[TrainStage.LatestModelArtifact];
        string best = result.Artifacts[TrainStage.BestModelArtifact];
        Assert.Equal(bed.LatestCheckpoint, latest);
        Assert.Equal(bed.BestCheckpoint, best);
        // latest.ckpt holds the end of training and can resume; best.ckpt holds weights of the best validation.
        var latestProgress = TrainProgress.Read(latest)!;
        Assert.Equal((120, 120, true, "train", "adamw"),
            (latestProgress.Iteration, latestProgress.Iterations, latestProgress.Resumable, latestProgress.Stage, latestProgress.Optimizer));
        Assert.Equal([60, 120], latestProgress.Validations.Select(v => v.Iteration));
        var bestProgress = TrainProgress.Read(best)!;
        Assert.False(bestProgress.Resumable);
        Assert.Equal(bestProgress.Iteration, latestProgress.BestIteration);
        Assert.Contains(bestProgress.Iteration, new[] { 60, 120 });
        Assert.Equal(latestProgress.Validations.Max(v => v.Metric), latestProgress.BestValue);

        Assert.Equal(120, result.Summary["iterations"]);
        Assert.Equal(losses[^1], (double)result.Summary["final_loss"]!);
        Assert.InRange((double)result.Summary["best_validation_mean_dice"]!, 0.05, 1.0);
        Assert.Equal("mean_dice", result.Summary["best_metric"]);
        Assert.Equal(result.Summary["best_validation_mean_dice"], result.Summary["best_metric_value"]);
        Assert.Equal(bestProgress.Iteration, result.Summary["best_iteration"]);
        Assert.True((double)result.Summary["seconds"]! > 0);
        Assert.InRange((double)result.Summary["data_wait_share"]!, 0, 1);
        bed.Progress.Received(120).Report(Arg.Is<ProgressUpdate>(u => u.Stage == "train" && u.Total == 120));
        bed.Progress.Received(1).Complete("train");
    }

    [Fact]
    public async Task SameSeedGivesTheSameTraining()
    {
        using var first = new StageTestBed();
        using var second = new StageTestBed();
        var options = TinyOptions(10);
        options.ValidateEvery = 0;
        await new TrainStage().RunAsync(first.Context("train", seed: 5), options, CancellationToken.None);
        await new TrainStage().RunAsync(second.Context("train", seed: 5), options, CancellationToken.None);
        Assert.Equal(Losses(first), Losses(second));
        using var a = first.Models.Load(first.LatestCheckpoint);
        using var b = second.Models.Load(second.LatestCheckpoint);
        TrainTestRuns.AssertSameWeights(a, b);
    }

    [Fact]
    public async Task StopsCleanlyOnCancellationAndSavesLatest()
    {
        using var bed = new StageTestBed();
        using var cancellation = new CancellationTokenSource();
        bed.Progress.When(p => p.Report(Arg.Is<ProgressUpdate>(u => u.Step == 5))).Do(_ => cancellation.Cancel());
        var options = TinyOptions(1000);
        options.ValidateEvery = 500;

        var result = await new TrainStage().RunAsync(bed.Context("train"), options, cancellation.Token);

        Assert.True(result.Interrupted);
        Assert.Equal(5, result.Summary["iterations"]);
        Assert.True(File.Exists(result.Artifacts[TrainStage.LatestModelArtifact]));
        Assert.False(result.Artifacts.ContainsKey(TrainStage.BestModelArtifact));
        // The partial loss window (iterations 1..5) is still recorded, marked as such.
        var partial = Assert.Single(bed.Records);
        Assert.Equal(5, partial["iteration"]);
        Assert.Equal(true, partial["partial"]);
        // The checkpoint is the state after iteration 5, loss window included, ready to resume.
        var progress = TrainProgress.Read(bed.LatestCheckpoint)!;
        Assert.Equal((5, 5, true, false), (progress.Iteration, progress.LossWindow.Steps, progress.Resumable, progress.PendingValidation));
    }

    [Fact]
    public async Task ProblemsAreReportedWithTheOptionName()
    {
        using var bed = new StageTestBed();
        var stage = new TrainStage();
        Assert.Equal(typeof(TrainOptions), stage.OptionsType);

        var wrongSplit = TinyOptions(5);
        wrongSplit.TrainSplit = "training";
        var splitError = await Assert.ThrowsAsync<InvalidOperationException>(() => stage.RunAsync(bed.Context("train"), wrongSplit, CancellationToken.None));
        Assert.Contains("train_split 'training'", splitError.Message);
        Assert.Contains("train, validation", splitError.Message);

        var invalid = TinyOptions(0);
        invalid.Overlap = 1;
        // Invalid options fail fast, before a task is started.
        var optionsError = Assert.Throws<ArgumentException>(() => { _ = stage.RunAsync(bed.Context("train"), invalid, CancellationToken.None); });
        Assert.Contains("iterations", optionsError.Message);
        Assert.Contains("overlap", optionsError.Message);
        Assert.Equal(["dataset"], new TrainOptions().Validate().Select(p => p.Key));

        var training = TinyOptions(10);
        training.Betas = [0.9];
        training.Eps = 0;
        training.Optimizer = Pipeline.Core.Training.Optimizers.OptimizerKind.Sgd;
        training.Momentum = 0;
        training.WarmupIterations = 10;
        training.MinLr = 1;
        training.PolyPower = 0;
        training.GradClipNorm = -1;
        training.AccumulationSteps = 0;
        training.BestMetric = "dice";
        training.SmoothNr = -1;
        Assert.Equal(["betas", "eps", "nesterov", "warmup_iterations", "min_lr", "poly_power", "grad_clip_norm", "accumulation_steps", "best_metric", "smooth_nr"],
                     training.Validate().Select(p => p.Key));

        var unknownClass = TinyOptions(5);
        unknownClass.BestMetric = "dice.liver";
        var classError = await Assert.ThrowsAsync<InvalidOperationException>(() => stage.RunAsync(bed.Context("train"), unknownClass, CancellationToken.None));
        Assert.Contains("dice.liver", classError.Message);
        Assert.Contains("ellipsoid, tube, shell", classError.Message);
    }

    [Fact]
    public async Task ScheduleSetsTheRateOfEveryStepAndBestMetricCanBeOneClass()
    {
        using var bed = new StageTestBed();
        var options = TinyOptions(10);
        options.Schedule = Pipeline.Core.Training.Schedules.LearningRateScheduleKind.WarmupCosine;
        options.WarmupIterations = 3;
        options.MinLr = 1e-3;
        options.LogEvery = 1;
        options.ValidateEvery = 5;
        options.BestMetric = "dice.tube";
        var result = await new TrainStage().RunAsync(bed.Context("train"), options, CancellationToken.None);

        var schedule = options.LearningRateSchedule();
        var rates = bed.Records.Where(r => r.ContainsKey("loss")).Select(r => ((int)r["iteration"]!, (double)r["lr"]!)).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (i, schedule.RateAt(i))), rates);
        Assert.Equal(options.LearningRate / 3, rates[0].Item2, 12);
        Assert.Equal(options.LearningRate, rates[2].Item2, 12);

        var tube = bed.Records.Where(r => r.ContainsKey("validation_dice"))
            .Select(r => ((int)r["iteration"]!, (double?)((Dictionary<string, object?>)r["validation_dice"]!)["tube"])).ToList();
        var best = tube.Where(t => t.Item2 is not null).MaxBy(t => t.Item2!.Value);
        Assert.Equal("dice.tube", result.Summary["best_metric"]);
        Assert.Equal(best.Item2, result.Summary["best_metric_value"]);
        Assert.Equal(best.Item1, result.Summary["best_iteration"]);
        Assert.Equal(best.Item1, TrainProgress.Read(bed.BestCheckpoint)!.Iteration);
    }
}
