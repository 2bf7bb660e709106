using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class UxBlockTests
{
    [Fact]
    public void HasTheOriginalKeysAndGroupedPointwiseShapes()
    {
        using var scope = NewDisposeScope();
        using var block = new UxBlock(6, kernelSize: 7);
        var keys = block.state_dict();
        Assert.Equal(
            new[] { "dwconv.bias", "dwconv.weight", "gamma", "norm.bias", "norm.weight", "pwconv1.bias", "pwconv1.weight", "pwconv2.bias", "pwconv2.weight" },
            keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 6, 1, 7, 7, 7 }, keys["dwconv.weight"].shape);
        Assert.Equal(new long[] { 24, 1, 1, 1, 1 }, keys["pwconv1.weight"].shape);
        Assert.Equal(new long[] { 6, 4, 1, 1, 1 }, keys["pwconv2.weight"].shape);
        Assert.True(keys["gamma"].allclose(full(6, 1e-6)));
    }

    [Fact]
    public void ZeroLayerScaleMeansNoGamma()
    {
        using var scope = NewDisposeScope();
        using var block = new UxBlock(4, layerScaleInitValue: 0);
        Assert.DoesNotContain("gamma", block.state_dict().Keys);
    }

    [Fact]
    public void PassesTheDepthwisePathThrough()
    {
        using var scope = NewDisposeScope();
        using var block = new UxBlock(4, kernelSize: 5, depthwisePath: DepthwiseConvPath.Fft);
        Assert.Equal(DepthwiseConvPath.Fft, block.dwconv.Path);
        Assert.Equal(5, block.dwconv.KernelSize);
    }

    [Fact]
    public void ComputesTheResidualDepthwiseScalingBlock()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(71);
        using var block = new UxBlock(3, kernelSize: 3, layerScaleInitValue: 0.5);
        block.eval();
        var x = randn(new long[] { 2, 3, 4, 5, 6 }, generator: generator);
        var s = block.state_dict();

        var y = nn.functional.conv3d(x, s["dwconv.weight"], s["dwconv.bias"], padding: new long[] { 1, 1, 1 }, groups: 3);
        y = nn.functional.layer_norm(y.permute(0, 2, 3, 4, 1), new long[] { 3 }, s["norm.weight"], s["norm.bias"], 1e-6).permute(0, 4, 1, 2, 3);
        // pwconv1: output channel o reads input channel o / 4; pwconv2: output g reads 4g .. 4g+3.
        var expanded = y.repeat_interleave(4, 1) * s["pwconv1.weight"].view(1, 12, 1, 1, 1) + s["pwconv1.bias"].view(1, 12, 1, 1, 1);
        var activated = nn.functional.gelu(expanded);
        var projected = (activated * s["pwconv2.weight"].view(1, 12, 1, 1, 1)).view(2, 3, 4, 4, 5, 6).sum(2) + s["pwconv2.bias"].view(1, 3, 1, 1, 1);
        var expected = x + s["gamma"].view(1, 3, 1, 1, 1) * projected;

        using (no_grad())
            Assert.True(block.call(x).allclose(expected, rtol: 1e-5, atol: 1e-5));
    }
}
