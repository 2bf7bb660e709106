using System.Text.Json;
using Pipeline.Core.Engine;
using Pipeline.Core.Nn;

namespace Pipeline.Tests.Training;

/// <summary>Helpers for comparing training runs: their metrics files and their weights.</summary>
internal static class TrainTestRuns
{
    /// <summary>The loss records of <paramref name="metricsPath"/> as (iteration, loss, lr) in file order.</summary>
    public static List<(long Iteration, double Loss, double Rate)> LossCurve(string metricsPath) =>
        Records(metricsPath).Where(r => r.TryGetProperty("loss", out _))
            .Select(r => (r.GetProperty("iteration").GetInt64(), r.GetProperty("loss").GetDouble(), r.GetProperty("lr").GetDouble()))
            .ToList();

    /// <summary>The validation records of <paramref name="metricsPath"/> as (iteration, mean Dice JSON) in file order.</summary>
    public static List<(long Iteration, string MeanDice)> Validations(string metricsPath) =>
        Records(metricsPath).Where(r => r.TryGetProperty("validation_mean_dice", out _))
            .Select(r => (r.GetProperty("iteration").GetInt64(), r.GetProperty("validation_mean_dice").GetRawText()))
            .ToList();

    /// <summary>Every record of <paramref name="metricsPath"/> (read while a writer may still have it open).</summary>
    public static List<JsonElement> Records(string metricsPath)
    {
        using var stream = new FileStream(metricsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var records = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) records.Add(JsonDocument.Parse(line).RootElement.Clone());
        return records;
    }

    /// <summary>Asserts that two networks hold bit-identical parameters and buffers.</summary>
    public static void AssertSameWeights(SegmentationNetwork expected, SegmentationNetwork actual)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var left = expected.state_dict();
        var right = actual.state_dict();
        Assert.Equal(left.Keys, right.Keys);
        foreach (var key in left.Keys)
        {
            Assert.Equal(left[key].shape, right[key].shape);
            Assert.True(left[key].eq(right[key]).all().item<bool>(), $"weights differ at {key}");
        }
    }
}
