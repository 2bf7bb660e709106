using Microsoft.Extensions.Logging;
using Pipeline.Core.Inference;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class InferenceMemoryEstimateTests
{
    [Fact]
    public void ALargeCtAtRoi96WithFiveClasses()
    {
        var estimate = InferenceMemoryEstimate.For([512, 512, 300], 1, 5, [96, 96, 96], 1);
        const long voxels = 512L * 512 * 300; // 78,643,200
        Assert.Equal(4 * voxels, estimate.InputBytes);
        Assert.Equal(5 * 4 * voxels, estimate.AccumulatorBytes); // 1.57 GB
        Assert.Equal(4 * voxels, estimate.WeightMapBytes);
        Assert.Equal(96L * 96 * 96 * 4 * (2 * 1 + 3 * 5), estimate.WindowBatchBytes);
        Assert.Null(estimate.ActivationBytes);
        Assert.Equal(0, estimate.CropBytes);
        Assert.Equal(voxels, estimate.LabelBytes);
        Assert.Equal(0, estimate.ProbabilityBytes);
        Assert.Equal(4 * voxels + 20 * voxels + 4 * voxels + 96L * 96 * 96 * 68 + voxels, estimate.TotalBytes);
        Assert.Equal(2_340_814_848, estimate.TotalBytes);

        string text = estimate.ToString();
        Assert.StartsWith("~2.34 GB for 512×512×300, 5 classes: input 314.6 MB, accumulator 1.57 GB (float32), weight map 314.6 MB", text);
        Assert.Contains("labels 78.6 MB (uint8), probabilities none", text);
        Assert.EndsWith("network activations not included (no per-voxel factor given)", text);
    }

    [Fact]
    public void PaddingActivationsAndOutputsAreCounted()
    {
        var options = new InferenceMemoryOptions { LabelType = ScalarType.Int64, ProbabilityType = ScalarType.Float16, ActivationBytesPerVoxel = 40 };
        var estimate = InferenceMemoryEstimate.For([50, 60, 70], 2, 3, [64, 64, 64], 2, options);
        const long voxels = 50 * 60 * 70, padded = 64 * 64 * 70, roi = 64 * 64 * 64;
        Assert.Equal(new long[] { 64, 64, 70 }, estimate.PaddedShape);
        Assert.Equal(2 * 4 * (voxels + padded), estimate.InputBytes);
        Assert.Equal(3 * 4 * padded, estimate.AccumulatorBytes);
        Assert.Equal(4 * padded, estimate.WeightMapBytes);
        Assert.Equal(2 * roi * 4 * (2 * 2 + 3 * 3), estimate.WindowBatchBytes);
        Assert.Equal(2 * roi * 40, estimate.ActivationBytes);
        Assert.Equal(3 * 4 * voxels, estimate.CropBytes);
        Assert.Equal(8 * voxels, estimate.LabelBytes);
        Assert.Equal(3 * 2 * voxels, estimate.ProbabilityBytes);
        Assert.Equal(estimate.InputBytes + estimate.AccumulatorBytes + estimate.WeightMapBytes + estimate.WindowBatchBytes +
                     estimate.ActivationBytes!.Value + estimate.CropBytes + estimate.LabelBytes + estimate.ProbabilityBytes, estimate.TotalBytes);
        string text = estimate.ToString();
        Assert.Contains("zero-padded to 64×64×70", text);
        Assert.Contains("network activations 21.0 MB", text);
        Assert.Contains("probabilities 1.3 MB (float16)", text);
        Assert.DoesNotContain("not included", text);

        // Float32 probabilities overwrite the logits: nothing extra.
        var inPlace = InferenceMemoryEstimate.For([50, 60, 70], 1, 3, [32, 32, 32], 1, new InferenceMemoryOptions { ProbabilityType = ScalarType.Float32 });
        Assert.Equal(0, inPlace.ProbabilityBytes);
        Assert.Contains("float32 in place of the logits", inPlace.ToString());
    }

    [Fact]
    public void ThePredictorEstimatesWithItsOwnSettingsAndTheEstimateIsLogged()
    {
        var predictor = new SegmentationPredictor(new PredictionOptions { RoiSize = [32, 32, 32], WindowBatchSize = 4, LabelType = ScalarType.Int64 });
        var estimate = predictor.EstimateMemory([100, 100, 100], 1, 4);
        var direct = InferenceMemoryEstimate.For([100, 100, 100], 1, 4, [32, 32, 32], 4, new InferenceMemoryOptions { LabelType = ScalarType.Int64 });
        Assert.Equal(direct.ToString(), estimate.ToString());
        Assert.Equal(direct.TotalBytes, estimate.TotalBytes);
        Assert.Equal(32L * 32 * 32 * 4 * 4 * (2 + 12), estimate.WindowBatchBytes);
        Assert.Equal(8_000_000, estimate.LabelBytes);

        var logger = new ListLogger();
        estimate.Log(logger);
        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Equal("Inference memory estimate: " + estimate, message);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => InferenceMemoryEstimate.For([512, 512], 1, 5, [96, 96, 96], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceMemoryEstimate.For([8, 8, 8], 1, 0, [4, 4, 4], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceMemoryEstimate.For([8, 8, 8], 1, 2, [4, 4, 4], 0));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
