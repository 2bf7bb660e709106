using System.Text.Json;
using Pipeline.Core.Engine;
using Pipeline.Core.Stages;

namespace Pipeline.Tests.Training;

[Collection(TrainingStagesCollection.Name)]
public class ValidateStageTests
{
    private static async Task<StageResult> Train(StageTestBed bed, int validateEvery)
    {
        var options = TrainStageTests.TinyOptions(20);
        options.ValidateEvery = validateEvery;
        var result = await new TrainStage().RunAsync(bed.Context("train"), options, CancellationToken.None);
        bed.Completed["train"] = result;
        bed.Records.Clear();
        return result;
    }

    private static ValidateOptions Options(CheckpointChoice checkpoint) => new()
    {
        Dataset = StageTestBed.DatasetName, Model = "train", Checkpoint = checkpoint, RoiSize = [8, 8, 8], Overlap = 0.5, SwBatchSize = 4,
    };

    [Fact]
    public async Task WritesDiceCsvAndResultsJsonAndSummary()
    {
        using var bed = new StageTestBed();
        await Train(bed, validateEvery: 10);
        var context = bed.Context("validate");

        var result = await new ValidateStage().RunAsync(context, Options(CheckpointChoice.Best), CancellationToken.None);

        Assert.False(result.Interrupted);
        Assert.Equal(1, bed.Models.FoldCalls);
        string csvPath = Path.Combine(context.StageDirectory, "dice.csv");
        var lines = File.ReadAllLines(csvPath);
        Assert.Equal("case,ellipsoid,tube,shell", lines[0]);
        Assert.Equal(["synthetic_0006", "synthetic_0007"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(lines.Skip(1), line => Assert.Equal(4, line.Split(',').Length));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(context.StageDirectory, "results.json")));
        var root = json.RootElement;
        Assert.Equal("best", root.GetProperty("checkpoint").GetString());
        Assert.Equal(2, root.GetProperty("cases").GetArrayLength());
        Assert.Equal(3, root.GetProperty("dice").EnumerateObject().Count());
        Assert.Empty(Directory.GetFiles(context.StageDirectory, "*.tmp"));

        Assert.Equal(2, result.Summary["cases"]);
        var meanDice = (double)result.Summary["mean_dice"]!;
        Assert.InRange(meanDice, 0.0, 1.0);
        var perClass = Assert.IsType<Dictionary<string, object?>>(result.Summary["dice"]);
        Assert.Equal(["ellipsoid", "tube", "shell"], perClass.Keys);
        Assert.Equal(meanDice, root.GetProperty("mean_dice").GetDouble(), 12);
        Assert.Equal(2, bed.Records.Count(r => r.ContainsKey("case")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(context.StageDirectory, "metrics.json")));
        Assert.Equal(2, metrics.RootElement.GetProperty("cases").GetArrayLength());
        Assert.True(result.Summary.ContainsKey("mean_hd95_mm"));
    }

    [Fact]
    public async Task BestCheckpointNeedsAValidatingTrainingStage()
    {
        using var bed = new StageTestBed();
        await Train(bed, validateEvery: 0);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ValidateStage().RunAsync(bed.Context("validate"), Options(CheckpointChoice.Best), CancellationToken.None));
        Assert.Contains("best_model", error.Message);
        Assert.Contains("checkpoint: latest", error.Message);

        var latest = await new ValidateStage().RunAsync(bed.Context("validate"), Options(CheckpointChoice.Latest), CancellationToken.None);
        Assert.Equal(2, latest.Summary["cases"]);

        var unknownStage = Options(CheckpointChoice.Latest);
        unknownStage.Model = "training";
        Assert.Contains("Earlier stages: train", (await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ValidateStage().RunAsync(bed.Context("validate"), unknownStage, CancellationToken.None))).Message);
    }
}
