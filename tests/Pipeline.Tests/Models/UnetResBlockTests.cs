using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class UnetResBlockTests
{
    [Fact]
    public void IdentityResidualBlockComputesMonaisFormula()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(41);
        using var block = new UnetResBlock(4, 4, kernelSize: 3);
        block.eval();
        var x = randn(new long[] { 2, 4, 6, 5, 4 }, generator: generator);

        var w1 = block.state_dict()["conv1.conv.weight"];
        var w2 = block.state_dict()["conv2.conv.weight"];
        static Tensor Norm(Tensor t) => nn.functional.instance_norm(t, eps: 1e-5);
        static Tensor Act(Tensor t) => nn.functional.leaky_relu(t, 0.01);
        var pad = new long[] { 1, 1, 1 };
        var expected = Act(Norm(nn.functional.conv3d(Act(Norm(nn.functional.conv3d(x, w1, padding: pad))), w2, padding: pad)) + x);

        using (no_grad())
            Assert.True(block.call(x).allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(new[] { "conv1.conv.weight", "conv2.conv.weight" }, block.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(4, 8, 1)]
    [InlineData(4, 4, 2)]
    public void ProjectsTheResidualWhenChannelsOrStrideChange(int inChannels, int outChannels, int stride)
    {
        using var scope = NewDisposeScope();
        using var block = new UnetResBlock(inChannels, outChannels, kernelSize: 3, stride: stride);
        var keys = block.state_dict();
        Assert.Equal(new long[] { outChannels, inChannels, 1, 1, 1 }, keys["conv3.conv.weight"].shape);
        Assert.Equal(new long[] { outChannels, inChannels, 3, 3, 3 }, keys["conv1.conv.weight"].shape);
        Assert.Equal(3, keys.Count);

        var y = block.call(randn(new long[] { 1, inChannels, 8, 6, 4 }, generator: new Generator(42)));
        Assert.Equal(new long[] { 1, outChannels, 8 / stride, 6 / stride, 4 / stride }, y.shape);
    }
}
