using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class RepUxNetEncoderTests
{
    [Fact]
    public void SharesTheUxNetLayoutWithRepUxBlocks()
    {
        using var scope = NewDisposeScope();
        using var encoder = new RepUxNetEncoder(1, new[] { 2, 1 }, new[] { 4, 8 }, kernelSize: 5);
        var keys = encoder.state_dict();
        Assert.Equal(new long[] { 4, 1, 7, 7, 7 }, keys["downsample_layers.0.0.weight"].shape);
        Assert.Equal(new long[] { 8, 4, 2, 2, 2 }, keys["downsample_layers.1.1.weight"].shape);
        Assert.Equal(new long[] { 4, 1, 5, 5, 5 }, keys["stages.0.1.dwconv.weight"].shape);
        Assert.Equal(new long[] { 8 }, keys["stages.1.0.norm.running_var"].shape);
        Assert.Equal(new long[] { 8 }, keys["norm1.bias"].shape);
        Assert.All(encoder.stages.SelectMany(stage => stage.children()), block => Assert.IsType<RepUxBlock>(block));
    }

    [Fact]
    public void EmitsOneNormalisedOutputPerStage()
    {
        using var scope = NewDisposeScope();
        using var encoder = new RepUxNetEncoder(2, new[] { 1, 1, 1, 1 }, new[] { 4, 6, 8, 10 }, kernelSize: 3);
        encoder.eval();
        IReadOnlyList<Tensor> outputs;
        using (no_grad()) outputs = encoder.call(randn(new long[] { 1, 2, 16, 32, 16 }, generator: new Generator(73)));
        Assert.Equal(new long[] { 1, 4, 8, 16, 8 }, outputs[0].shape);
        Assert.Equal(new long[] { 1, 10, 1, 2, 1 }, outputs[3].shape);
        Assert.Equal(16, encoder.SpatialDivisor);
    }
}
