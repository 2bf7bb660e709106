using NSubstitute;
using Pipeline.Core.Engine;
using Pipeline.Core.Stages;
using Pipeline.Core.Training.Optimizers;
using Pipeline.Core.Training.Schedules;

namespace Pipeline.Tests.Training;

/// <summary>
/// A train stage that is stopped (or loses the steps after its last checkpoint) and resumed computes exactly what an
/// uninterrupted run computes: the same loss records, validations and final weights, bit for bit.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public class TrainResumeTests
{
    private static TrainOptions Options(OptimizerKind optimizer = OptimizerKind.Adamw,
                                        LearningRateScheduleKind schedule = LearningRateScheduleKind.Constant,
                                        int accumulation = 1, double clip = 0)
    {
        var options = TrainStageTests.TinyOptions(12);
        options.LogEvery = 5;
        options.CheckpointEvery = 4;
        options.ValidateEvery = 6;
        options.Optimizer = optimizer;
        options.Schedule = schedule;
        options.WarmupIterations = schedule == LearningRateScheduleKind.Constant ? 0 : 2;
        options.MinLr = 1e-3;
        options.AccumulationSteps = accumulation;
        options.GradClipNorm = clip;
        return options;
    }

    /// <summary>What a run leaves behind that must not depend on interruptions.</summary>
    private sealed record Outcome(List<(long, double, double)> Curve, List<(long, string)> Validations, StageResult Result);

    private static async Task<StageResult> Train(StageTestBed bed, TrainOptions options, bool resume, CancellationToken token = default)
    {
        using var metrics = new JsonlMetricsSink(Metrics(bed), Path.Combine(bed.RunDirectory, "tensorboard"));
        return await new TrainStage().RunAsync(bed.Context("train", metrics: metrics, resume: resume), options, token);
    }

    private static string Metrics(StageTestBed bed) => Path.Combine(bed.RunDirectory, "metrics.jsonl");

    private static Outcome OutcomeOf(StageTestBed bed, StageResult result) =>
        new(TrainTestRuns.LossCurve(Metrics(bed)), TrainTestRuns.Validations(Metrics(bed)), result);

    private static async Task<Outcome> Uninterrupted(StageTestBed bed, TrainOptions options) =>
        OutcomeOf(bed, await Train(bed, options, resume: false));

    private static void AssertSameRun(StageTestBed expectedBed, Outcome expected, StageTestBed actualBed, Outcome actual)
    {
        Assert.Equal(expected.Curve, actual.Curve);
        Assert.Equal(expected.Validations, actual.Validations);
        Assert.False(actual.Result.Interrupted);
        Assert.Equal(expected.Result.Summary["iterations"], actual.Result.Summary["iterations"]);
        Assert.Equal(expected.Result.Summary["final_loss"], actual.Result.Summary["final_loss"]);
        Assert.Equal(expected.Result.Summary["best_iteration"], actual.Result.Summary["best_iteration"]);
        using var expectedNetwork = expectedBed.Models.Load(expectedBed.LatestCheckpoint);
        using var actualNetwork = actualBed.Models.Load(actualBed.LatestCheckpoint);
        TrainTestRuns.AssertSameWeights(expectedNetwork, actualNetwork);
    }

    /// <summary>Cancels the run when it reports step <paramref name="step"/> (only while <paramref name="armed"/> says so).</summary>
    private static CancellationTokenSource CancelAt(StageTestBed bed, int step, Func<bool> armed)
    {
        var cancellation = new CancellationTokenSource();
        bed.Progress.When(p => p.Report(Arg.Is<ProgressUpdate>(u => u.Step == step))).Do(_ => { if (armed()) cancellation.Cancel(); });
        return cancellation;
    }

    [Theory]
    [InlineData(OptimizerKind.Adamw, LearningRateScheduleKind.Constant, 1, 0.0)]
    [InlineData(OptimizerKind.Adam, LearningRateScheduleKind.WarmupCosine, 2, 0.5)]
    [InlineData(OptimizerKind.Sgd, LearningRateScheduleKind.Poly, 1, 1.0)]
    public async Task StoppedAndResumedRunEqualsAnUninterruptedOne(OptimizerKind optimizer, LearningRateScheduleKind schedule,
                                                                    int accumulation, double clip)
    {
        var options = Options(optimizer, schedule, accumulation, clip);
        using var reference = new StageTestBed();
        var expected = await Uninterrupted(reference, options);
        Assert.Equal([5, 10, 12], expected.Curve.Select(c => c.Item1));

        using var bed = new StageTestBed();
        bool armed = true;
        using var cancellation = CancelAt(bed, 7, () => armed);
        var stopped = await Train(bed, options, resume: false, cancellation.Token);
        Assert.True(stopped.Interrupted);
        // The stopped run recorded its partial window (6..7); the resume removes it and redoes the window 6..10.
        Assert.Equal([5, 7], TrainTestRuns.LossCurve(Metrics(bed)).Select(c => c.Item1));
        Assert.Equal(2, TrainProgress.Read(bed.LatestCheckpoint)!.LossWindow.Steps);

        armed = false;
        var resumed = await Train(bed, options, resume: true);
        AssertSameRun(reference, expected, bed, OutcomeOf(bed, resumed));
    }

    [Fact]
    public async Task KilledRunRedoesTheStepsAfterItsLastCheckpoint()
    {
        var options = Options();
        options.LogEvery = 1;
        using var reference = new StageTestBed();
        var expected = await Uninterrupted(reference, options);

        using var bed = new StageTestBed();
        bool armed = true;
        string atEight = Path.Combine(bed.RunDirectory, "latest-at-8.ckpt");
        // After step 10 latest.ckpt still holds iteration 8 (checkpoints every 4): keep that file, as a kill would.
        bed.Progress.When(p => p.Report(Arg.Is<ProgressUpdate>(u => u.Step == 10)))
           .Do(_ => { if (armed) File.Copy(bed.LatestCheckpoint, atEight); });
        using var cancellation = CancelAt(bed, 11, () => armed);
        await Train(bed, options, resume: false, cancellation.Token);
        File.Move(atEight, bed.LatestCheckpoint, overwrite: true);
        Assert.Equal(8, TrainProgress.Read(bed.LatestCheckpoint)!.Iteration);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), TrainTestRuns.LossCurve(Metrics(bed)).Select(c => c.Item1));
        // A killed writer can leave half a line behind.
        File.AppendAllText(Metrics(bed), "{\"stage\":\"train\",\"iteration\":12,\"lo");

        armed = false;
        var resumed = await Train(bed, options, resume: true);
        AssertSameRun(reference, expected, bed, OutcomeOf(bed, resumed));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), TrainTestRuns.LossCurve(Metrics(bed)).Select(c => c.Item1));
    }

    [Fact]
    public async Task ValidationCutShortIsRunFirstWhenResuming()
    {
        var options = Options();
        using var reference = new StageTestBed();
        var expected = await Uninterrupted(reference, options);

        using var bed = new StageTestBed();
        bool armed = true;
        // Cancelled right after step 6: the validation due at 6 sees the request before its first case.
        using var cancellation = CancelAt(bed, 6, () => armed);
        await Train(bed, options, resume: false, cancellation.Token);
        var progress = TrainProgress.Read(bed.LatestCheckpoint)!;
        Assert.Equal((6, true), (progress.Iteration, progress.PendingValidation));
        Assert.Empty(TrainTestRuns.Validations(Metrics(bed)));

        armed = false;
        var resumed = await Train(bed, options, resume: true);
        AssertSameRun(reference, expected, bed, OutcomeOf(bed, resumed));
    }

    [Fact]
    public async Task ResumeWithoutACheckpointStartsOverAndDropsTheStageRecords()
    {
        var options = Options();
        using var reference = new StageTestBed();
        var expected = await Uninterrupted(reference, options);

        using var bed = new StageTestBed();
        using (var metrics = new JsonlMetricsSink(Metrics(bed)))
        {
            metrics.Write(new Dictionary<string, object?> { ["stage"] = "earlier", ["iteration"] = 3, ["loss"] = 1.0, ["lr"] = 0.1 });
            metrics.Write(new Dictionary<string, object?> { ["stage"] = "train", ["iteration"] = 3, ["loss"] = 9.0, ["lr"] = 0.1 });
        }
        var resumed = await Train(bed, options, resume: true);
        Assert.Equal([(3L, 1.0)], TrainTestRuns.Records(Metrics(bed)).Where(r => r.GetProperty("stage").GetString() == "earlier")
                                              .Select(r => (r.GetProperty("iteration").GetInt64(), r.GetProperty("loss").GetDouble())));
        var trainOnly = TrainTestRuns.LossCurve(Metrics(bed)).Skip(1).ToList();
        Assert.Equal(expected.Curve, trainOnly);
        Assert.False(resumed.Interrupted);
    }

    [Fact]
    public async Task ACheckpointPastTheIterationsOrOfAnotherStageIsRefused()
    {
        var options = Options();
        using var bed = new StageTestBed();
        await Train(bed, options, resume: false);

        var shorter = Options();
        shorter.Iterations = 8;
        var tooFar = await Assert.ThrowsAsync<InvalidOperationException>(() => Train(bed, shorter, resume: true));
        Assert.Contains("iteration 12, past iterations = 8", tooFar.Message);
        Assert.Contains("--extend", tooFar.Message);

        using var metrics = new JsonlMetricsSink(Metrics(bed));
        var other = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new TrainStage().RunAsync(bed.Context("finetune", metrics: metrics), options, CancellationToken.None));
        Assert.Contains("belongs to stage 'train'", other.Message);
    }
}
