using System.Text.Json;
using Pipeline.Core.Engine;

namespace Pipeline.Tests.Training;

public class JsonlMetricsSinkTests
{
    private sealed class Folder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("metrics-sink-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static Dictionary<string, object?> Loss(string stage, int iteration, double loss) =>
        new() { ["stage"] = stage, ["iteration"] = iteration, ["loss"] = loss, ["lr"] = 0.01 };

    [Fact]
    public void AHalfWrittenLastLineIsCutOffWhenTheFileIsOpenedAgain()
    {
        using var folder = new Folder();
        string path = folder.File("metrics.jsonl");
        File.WriteAllText(path, "{\"stage\":\"train\",\"iteration\":1}\n{\"stage\":\"train\",\"itera");
        using (var sink = new JsonlMetricsSink(path))
            sink.Write(Loss("train", 2, 0.5));
        var records = TrainTestRuns.Records(path);
        Assert.Equal([1L, 2L], records.Select(r => MetricsRecord.Iteration(r)!.Value));
        Assert.True(records[1].TryGetProperty("time", out _));
    }

    [Fact]
    public void RemovedRecordsAreGoneAndWritingContinuesAfterTheKeptOnes()
    {
        using var folder = new Folder();
        string path = folder.File("metrics.jsonl");
        using var sink = new JsonlMetricsSink(path);
        for (int i = 1; i <= 4; i++) sink.Write(Loss("train", i, 1.0 / i));
        sink.Write(new Dictionary<string, object?> { ["stage"] = "validate", ["case"] = "c1" });

        sink.RemoveRecords(r => MetricsRecord.Stage(r) == "train" && MetricsRecord.Iteration(r) > 2);
        sink.Write(Loss("train", 3, 0.25));

        var records = TrainTestRuns.Records(path);
        Assert.Equal(["train:1", "train:2", "validate:", "train:3"],
                     records.Select(r => $"{MetricsRecord.Stage(r)}:{MetricsRecord.Iteration(r)}"));
        Assert.Equal(0.25, records[^1].GetProperty("loss").GetDouble());
        Assert.False(MetricsRecord.Has(records[2], "iteration"));
    }

    [Fact]
    public void TensorBoardEventFilesMirrorTheRecordsAndFollowRemovals()
    {
        using var folder = new Folder();
        string board = folder.File("tensorboard");
        using var sink = new JsonlMetricsSink(folder.File("metrics.jsonl"), board);
        sink.Write(Loss("train", 1, 0.75));
        sink.Write(Loss("train", 2, 0.5));
        sink.Write(new Dictionary<string, object?>
        {
            ["stage"] = "train", ["iteration"] = 2, ["validation_mean_dice"] = 0.625,
            ["validation_dice"] = new Dictionary<string, object?> { ["tube"] = 0.5, ["shell"] = null },
        });
        sink.Write(new Dictionary<string, object?> { ["stage"] = "validate", ["case"] = "c1", ["dice"] = 0.9 });

        var scalars = TensorBoardEventFile.Scalars(Assert.Single(Directory.GetFiles(board, "events.out.tfevents.*")));
        Assert.Contains(("train/loss", 1L, 0.75f), scalars);
        Assert.Contains(("train/loss", 2L, 0.5f), scalars);
        Assert.Contains(("train/lr", 2L, 0.01f), scalars);
        Assert.Contains(("train/validation_mean_dice", 2L, 0.625f), scalars);
        Assert.Contains(("train/validation_dice/tube", 2L, 0.5f), scalars);
        // Records without an iteration, and the bookkeeping fields, are not curves.
        Assert.DoesNotContain(scalars, s => s.Tag.StartsWith("validate/") || s.Tag.EndsWith("/time") || s.Tag.EndsWith("/iteration"));

        sink.RemoveRecords(r => MetricsRecord.Iteration(r) > 1);
        var kept = TensorBoardEventFile.Scalars(Assert.Single(Directory.GetFiles(board, "events.out.tfevents.*")));
        Assert.Equal([("train/loss", 1L, 0.75f), ("train/lr", 1L, 0.01f)], kept);
    }
}
