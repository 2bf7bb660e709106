using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class ChannelsFirstLayerNormTests
{
    [Fact]
    public void EqualsLayerNormOverChannelsOfThePermutedInput()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(31);
        using var norm = new ChannelsFirstLayerNorm(5);
        using (no_grad())
        {
            norm.weight.copy_(randn(new long[] { 5 }, generator: generator));
            norm.bias.copy_(randn(new long[] { 5 }, generator: generator));
        }
        var x = randn(new long[] { 2, 5, 3, 4, 6 }, generator: generator) * 3 + 1;

        var ours = norm.call(x);
        var reference = nn.functional.layer_norm(x.permute(0, 2, 3, 4, 1), new long[] { 5 }, norm.weight, norm.bias, 1e-6)
            .permute(0, 4, 1, 2, 3);

        Assert.True(ours.allclose(reference, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(new[] { "weight", "bias" }, norm.state_dict().Keys);
    }

    [Fact]
    public void RejectsAWrongChannelCount()
    {
        using var scope = NewDisposeScope();
        using var norm = new ChannelsFirstLayerNorm(4);
        var error = Assert.Throws<ArgumentException>(() => norm.call(zeros(new long[] { 1, 3, 2, 2, 2 })));
        Assert.Contains("[N, 4, ...]", error.Message);
    }
}
