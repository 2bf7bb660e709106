using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class SegmentationPredictorTests
{
    private static readonly PredictionOptions Options = new() { RoiSize = [6, 5, 4], Overlap = 0.5, WindowBatchSize = 2, SlabSize = 3 };

    [Fact]
    public void LabelsAreTheArgmaxOfTheGaussianBlendedLogits()
    {
        using var scope = NewDisposeScope();
        var image = randn([1, 10, 9, 7], generator: new Generator(41));
        var predictor = new SegmentationPredictor(Options, CPU);
        Assert.Equal(BlendMode.Gaussian, predictor.Options.Blend);

        var reference = MonaiSlidingWindowReference.Predict(ToyNetworks.PositionDependent, image.unsqueeze(0), [6, 5, 4], 0.5, BlendMode.Gaussian)[0];
        var logits = predictor.PredictLogits(ToyNetworks.PositionDependent, image);
        Assert.Equal(new long[] { 3, 10, 9, 7 }, logits.shape);
        Assert.True(logits.allclose(reference, rtol: 2e-5, atol: 2e-5));

        using var prediction = predictor.Predict(ToyNetworks.PositionDependent, image);
        Assert.Null(prediction.Probabilities);
        Assert.Equal(ScalarType.Byte, prediction.Labels.dtype);
        Assert.Equal(new long[] { 10, 9, 7 }, prediction.Labels.shape);
        Assert.True(Exactly.Equal(logits.argmax(0), prediction.Labels.to(ScalarType.Int64)));
    }

    [Fact]
    public void ProbabilitiesAreTheSoftmaxInTheAskedType()
    {
        using var scope = NewDisposeScope();
        var image = randn([2, 8, 7, 6], generator: new Generator(42));
        var logits = new SegmentationPredictor(Options).PredictLogits(ToyNetworks.PositionDependent, image);
        var expected = logits.softmax(0);

        using var single = new SegmentationPredictor(Options with { ProbabilityType = ScalarType.Float32, LabelType = ScalarType.Int64 })
            .Predict(ToyNetworks.PositionDependent, image);
        Assert.Equal(ScalarType.Int64, single.Labels.dtype);
        Assert.True(Exactly.Equal(logits.argmax(0), single.Labels));
        Assert.Equal(ScalarType.Float32, single.Probabilities!.dtype);
        Assert.True(single.Probabilities.allclose(expected, rtol: 1e-6, atol: 1e-6));
        Assert.True(single.Probabilities.sum(0L).allclose(ones(8, 7, 6), rtol: 1e-5, atol: 1e-5));

        using var half = new SegmentationPredictor(Options with { ProbabilityType = ScalarType.Float16 }).Predict(ToyNetworks.PositionDependent, image);
        Assert.Equal(ScalarType.Float16, half.Probabilities!.dtype);
        Assert.True(half.Probabilities.to(ScalarType.Float32).allclose(expected, rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void ResultsSurviveTheCallersScope()
    {
        SegmentationPrediction prediction;
        using (var scope = NewDisposeScope())
        {
            prediction = new SegmentationPredictor(Options with { ProbabilityType = ScalarType.Float16 })
                .Predict(ToyNetworks.PositionDependent, randn([1, 7, 6, 5], generator: new Generator(43)));
            prediction.Labels.MoveToOuterDisposeScope();
            prediction.Probabilities!.MoveToOuterDisposeScope();
        }
        Assert.Equal(7 * 6 * 5, prediction.Labels.numel());
        Assert.Equal(3 * 7 * 6 * 5, prediction.Probabilities.numel());
        prediction.Dispose();
    }

    [Fact]
    public void BadImagesAndSettingsAreRejected()
    {
        using var scope = NewDisposeScope();
        var predictor = new SegmentationPredictor(Options);
        var error = Assert.Throws<ArgumentException>(() => predictor.Predict(ToyNetworks.PositionDependent, zeros([1, 1, 6, 5, 4])));
        Assert.Contains("[C, I, J, K]", error.Message);
        var settings = Assert.Throws<ArgumentException>(() => new SegmentationPredictor(Options with { ProbabilityType = ScalarType.Int32, Overlap = 1 }));
        Assert.Contains("probabilities", settings.Message);
        Assert.Contains("overlap", settings.Message);
    }
}
