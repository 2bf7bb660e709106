using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class UxNetEncoderTests
{
    [Fact]
    public void EmitsOneNormalisedOutputPerStageForNonCubicBatches()
    {
        using var scope = NewDisposeScope();
        using var encoder = new UxNetEncoder(2, new[] { 1, 2, 1, 1 }, new[] { 4, 6, 8, 10 }, kernelSize: 3);
        encoder.eval();
        var x = randn(new long[] { 3, 2, 16, 32, 48 }, generator: new Generator(81));
        IReadOnlyList<Tensor> outputs;
        using (no_grad()) outputs = encoder.call(x);

        Assert.Equal(4, outputs.Count);
        Assert.Equal(new long[] { 3, 4, 8, 16, 24 }, outputs[0].shape);
        Assert.Equal(new long[] { 3, 6, 4, 8, 12 }, outputs[1].shape);
        Assert.Equal(new long[] { 3, 8, 2, 4, 6 }, outputs[2].shape);
        Assert.Equal(new long[] { 3, 10, 1, 2, 3 }, outputs[3].shape);
        Assert.Equal(16, encoder.SpatialDivisor);
    }

    [Fact]
    public void HasTheOriginalKeyLayout()
    {
        using var scope = NewDisposeScope();
        using var encoder = new UxNetEncoder(1, new[] { 2, 1 }, new[] { 4, 8 }, kernelSize: 3);
        var keys = encoder.state_dict();
        Assert.Equal(new long[] { 4, 1, 7, 7, 7 }, keys["downsample_layers.0.0.weight"].shape);
        Assert.Equal(new long[] { 4 }, keys["downsample_layers.0.1.weight"].shape);
        Assert.Equal(new long[] { 4 }, keys["downsample_layers.1.0.bias"].shape);
        Assert.Equal(new long[] { 8, 4, 2, 2, 2 }, keys["downsample_layers.1.1.weight"].shape);
        Assert.Contains("stages.0.1.gamma", keys.Keys);
        Assert.Contains("stages.1.0.pwconv2.weight", keys.Keys);
        Assert.DoesNotContain("stages.1.1.gamma", keys.Keys);
        Assert.Equal(new long[] { 4 }, keys["norm0.weight"].shape);
        Assert.Equal(new long[] { 8 }, keys["norm1.bias"].shape);
    }

    [Fact]
    public void SpreadsDropPathRatesLinearlyOverAllBlocks()
    {
        using var scope = NewDisposeScope();
        using var encoder = new UxNetEncoder(1, new[] { 2, 3 }, new[] { 4, 8 }, kernelSize: 3, dropPathRate: 0.4);
        var rates = encoder.stages
            .SelectMany(stage => stage.children())
            .Cast<UxBlock>()
            .Select(block => block.drop_path.Probability)
            .ToArray();
        Assert.Equal(new[] { 0.0, 0.1, 0.2, 0.3, 0.4 }, rates.Select(r => Math.Round(r, 12)));
    }
}
