using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Models.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary>
/// The <c>swin-unetr</c> network at small sizes: input rule, shapes, hidden states, v2 keys, dtype moves, the
/// region-mask cache and activation checkpointing.
/// </summary>
// Seeds torch's process-wide generator (dropout replay under checkpointing), so it must not run beside other classes.
[Collection(Pipeline.Tests.Training.TrainingStagesCollection.Name)]
public sealed class SwinUnetrTests
{
    private static SwinUnetr Small(Action<SwinUnetrOptions>? configure = null)
    {
        var options = new SwinUnetrOptions { FeatureSize = 12, OutChannels = 3 };
        configure?.Invoke(options);
        return (SwinUnetr)new SwinUnetrBackbone().Build(options);
    }

    [Fact]
    public void InputsNotDivisibleBy32AreRejectedBeforeAnyComputation()
    {
        using var scope = NewDisposeScope();
        using var network = Small();
        Assert.Equal(32, network.SpatialDivisor);
        var error = Assert.Throws<ArgumentException>(() => network.call(zeros(new long[] { 1, 1, 40, 40, 40 })));
        Assert.Contains("divisible by 32", error.Message);
        Assert.Contains("40, 40, 40", error.Message);
        Assert.Throws<ArgumentException>(() => network.EncoderFeatures(zeros(new long[] { 1, 1, 32, 32, 48 })));
        Assert.Throws<ArgumentException>(() => network.call(zeros(new long[] { 1, 2, 32, 32, 32 })));
        // No stage ever ran: the first stage would have cached its shifted-window mask.
        Assert.Equal(0, network.swinViT.Stages[0].RegionMasks.Count);
    }

    [Fact]
    public void MapsAnImageToLogitsAndFiveHiddenStates()
    {
        using var scope = NewDisposeScope();
        using var network = Small();
        network.eval();
        using var noGrad = no_grad();
        var x = randn(new long[] { 2, 1, 32, 32, 64 }, generator: new Generator(1));
        var hidden = network.EncoderFeatures(x);
        long[][] expected = [[2, 12, 16, 16, 32], [2, 24, 8, 8, 16], [2, 48, 4, 4, 8], [2, 96, 2, 2, 4], [2, 192, 1, 1, 2]];
        Assert.Equal(expected, hidden.Select(h => h.shape).ToArray());
        // normalize: every hidden state has zero mean over channels.
        Assert.True(hidden[2].mean(new long[] { 1 }).abs().max().item<float>() < 1e-5);
        // The stage at 16×16×32 uses shifted windows and cached one mask, which the full forward reuses.
        Assert.Equal(1, network.swinViT.Stages[0].RegionMasks.Count);
        Assert.Equal(new long[] { 2, 3, 32, 32, 64 }, network.call(x).shape);
        Assert.Equal(1, network.swinViT.Stages[0].RegionMasks.Count);
    }

    [Fact]
    public void WithoutNormalizeTheHiddenStatesAreTheRawStageOutputs()
    {
        using var scope = NewDisposeScope();
        using var network = Small(o => o.Normalize = false);
        network.eval();
        using var noGrad = no_grad();
        var x = randn(new long[] { 1, 1, 32, 32, 32 }, generator: new Generator(2));
        var raw = network.EncoderFeatures(x);
        var normalised = network.swinViT.call(x, true);
        Assert.False(raw[1].allclose(normalised[1]));
        var expected = nn.functional.layer_norm(raw[1].permute(0, 2, 3, 4, 1), [24]).permute(0, 4, 1, 2, 3);
        Assert.True(expected.allclose(normalised[1], rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void V2AddsAResidualConvBlockBeforeEachStage()
    {
        using var scope = NewDisposeScope();
        using var v1 = Small();
        using var v2 = Small(o => o.UseV2 = true);
        var extra = v2.state_dict().Keys.Except(v1.state_dict().Keys).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(8, extra.Count);
        Assert.Contains("swinViT.layers1c.0.layer.conv1.conv.weight", extra);
        Assert.Contains("swinViT.layers4c.0.layer.conv2.conv.weight", extra);
        Assert.Equal(new long[] { 96, 96, 3, 3, 3 }, v2.state_dict()["swinViT.layers4c.0.layer.conv1.conv.weight"].shape);
        v2.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 3, 32, 32, 32 }, v2.call(randn(new long[] { 1, 1, 32, 32, 32 })).shape);
    }

    [Fact]
    public void MovingToFloat64KeepsTheIndexBuffersInt64()
    {
        using var scope = NewDisposeScope();
        using var network = Small(o => o.Depths = [2, 1, 1, 1]);
        network.to(ScalarType.Float64);
        var indices = network.state_dict().Where(entry => entry.Key.EndsWith("relative_position_index")).ToList();
        Assert.Equal(5, indices.Count);
        Assert.All(indices, entry => Assert.Equal(ScalarType.Int64, entry.Value.dtype));
        network.eval();
        using var noGrad = no_grad();
        var y = network.call(randn(new long[] { 1, 1, 32, 32, 32 }, ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void ActivationCheckpointingGivesTheSameOutputsAndGradientsEvenWithDropout()
    {
        using var scope = NewDisposeScope();
        static void Configure(SwinUnetrOptions o)
        {
            o.DropRate = 0.1;
            o.AttnDropRate = 0.1;
            o.DropoutPathRate = 0.2;
        }
        using var plain = Small(Configure);
        using var checkpointed = Small(o => { Configure(o); o.UseCheckpoint = true; });
        checkpointed.load_state_dict(plain.state_dict());
        Assert.True(checkpointed.UseCheckpoint);
        var x = randn(new long[] { 1, 1, 32, 32, 32 }, generator: new Generator(4));

        // Checkpointing lives in the transformer blocks, so the encoder alone shows it (and is cheaper than the decoder).
        var (plainOutput, plainGradients) = TrainStep(plain.swinViT, x);
        var (checkpointedOutput, checkpointedGradients) = TrainStep(checkpointed.swinViT, x);

        Assert.True(plainOutput.allclose(checkpointedOutput, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(plainGradients.Keys, checkpointedGradients.Keys);
        foreach (var (name, gradient) in plainGradients)
        {
            double scale = Math.Max(1e-3, gradient.abs().max().item<float>());
            double difference = (checkpointedGradients[name] - gradient).abs().max().item<float>();
            Assert.True(difference <= 1e-4 * scale, $"{name}: max |Δ| = {difference:G3} (scale {scale:G3}).");
        }
    }

    private static (Tensor Output, Dictionary<string, Tensor> Gradients) TrainStep(SwinTransformer encoder, Tensor x)
    {
        encoder.train();
        manual_seed(123);
        var hidden = encoder.call(x, true);
        var output = cat(hidden.Select(h => h.flatten()).ToArray());
        output.pow(2).mean().backward();
        var gradients = encoder.named_parameters()
            .Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        Assert.Contains("layers1.0.blocks.1.attn.relative_position_bias_table", gradients.Keys);
        Assert.Contains("layers4.0.blocks.1.mlp.linear2.weight", gradients.Keys);
        return (output.detach(), gradients);
    }
}
