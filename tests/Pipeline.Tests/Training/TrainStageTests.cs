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
        Assert.Equal(["stage", "iteration", "loss", "dice_loss", "ce_loss", "lr", "seconds"], lossRecord.Keys);
        Assert.Equal("train", lossRecord["stage"]);
        Assert.Equal(20, lossRecord["iteration"]);

        var validations = bed.Records.Where(r => r.ContainsKey("validation_mean_dice")).ToList();
        Assert.Equal([60, 120], validations.Select(r => (int)r["iteration"]!));
        var perClass = Assert.IsType<Dictionary<string, object?>>(validations[^1]["validation_dice"]);
        Assert.Equal(["ellipsoid", "tube", "shell"], perClass.Keys);

        string latest = result.Artifacts[TrainStage.LatestModelArtifact];
        string best = result.Artifacts[TrainStage.BestModelArtifact];
        Assert.Equal(Path.Combine(bed.RunDirectory, "checkpoints", "latest.ckpt"), latest);
        Assert.True(File.Exists(latest) && File.Exists(best));
        // latest at 40 and 80 (periodic) and at the end; best at 60 and, if it improved, at 120.
        Assert.Equal(3, bed.Models.SavedPaths.Count(p => p == latest));
        Assert.Contains(best, bed.Models.SavedPaths);

        Assert.Equal(120, result.Summary["iterations"]);
        Assert.Equal(losses[^1], (double)result.Summary["final_loss"]!);
        Assert.InRange((double)result.Summary["best_validation_mean_dice"]!, 0.05, 1.0);
        Assert.True((double)result.Summary["seconds"]! > 0);
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
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.RunDirectory, "checkpoints", "latest.ckpt")),
                     File.ReadAllBytes(Path.Combine(second.RunDirectory, "checkpoints", "latest.ckpt")));
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
        // The partial loss window (iterations 1..5) is still recorded.
        Assert.Equal(5, Assert.Single(bed.Records)["iteration"]);
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
    }
}
