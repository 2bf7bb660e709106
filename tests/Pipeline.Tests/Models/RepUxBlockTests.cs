using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class RepUxBlockTests
{
    [Fact]
    public void HasTheOriginalKeysAndShapes()
    {
        using var scope = NewDisposeScope();
        using var block = new RepUxBlock(6, kernelSize: 7);
        var keys = block.state_dict();
        Assert.Equal(
            new[] { "dwconv.bias", "dwconv.weight", "norm.bias", "norm.num_batches_tracked", "norm.running_mean", "norm.running_var", "norm.weight" },
            keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 6, 1, 7, 7, 7 }, keys["dwconv.weight"].shape);
        Assert.Equal(ScalarType.Int64, keys["norm.num_batches_tracked"].dtype);
    }

    [Fact]
    public void DefaultsToTheOriginalKernelAndPassesThePathThrough()
    {
        using var scope = NewDisposeScope();
        using var original = new RepUxBlock(2);
        Assert.Equal(21, original.dwconv.KernelSize);
        using var block = new RepUxBlock(2, kernelSize: 5, depthwisePath: DepthwiseConvPath.Fft);
        Assert.Equal(DepthwiseConvPath.Fft, block.dwconv.Path);
    }

    [Fact]
    public void ComputesDepthwiseConvBatchNormGeluWithoutResidual()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(72);
        using var block = new RepUxBlock(3, kernelSize: 5);
        using (no_grad())
        {
            block.norm.weight!.copy_(rand(3, generator: generator) + 0.5);
            block.norm.bias!.copy_(randn(3, generator: generator));
            block.norm.running_mean!.copy_(randn(3, generator: generator));
            block.norm.running_var!.copy_(rand(3, generator: generator) + 0.5);
        }
        var x = randn(new long[] { 2, 3, 6, 5, 4 }, generator: generator);
        var s = block.state_dict();
        var conv = nn.functional.conv3d(x, s["dwconv.weight"], s["dwconv.bias"], padding: new long[] { 2, 2, 2 }, groups: 3);

        block.eval();
        var normalised = (conv - s["norm.running_mean"].view(1, 3, 1, 1, 1)) / (s["norm.running_var"].view(1, 3, 1, 1, 1) + 1e-5).sqrt()
            * s["norm.weight"].view(1, 3, 1, 1, 1) + s["norm.bias"].view(1, 3, 1, 1, 1);
        using (no_grad())
            Assert.True(block.call(x).allclose(nn.functional.gelu(normalised), rtol: 1e-5, atol: 1e-5));

        // train(): batch statistics (biased variance), running stats move by momentum 0.1 with the unbiased variance.
        block.train();
        var mean = conv.mean(new long[] { 0, 2, 3, 4 });
        var variance = conv.var(new long[] { 0, 2, 3, 4 }, unbiased: false);
        var unbiased = conv.var(new long[] { 0, 2, 3, 4 }, unbiased: true);
        var expectedRunningMean = 0.9 * s["norm.running_mean"].clone() + 0.1 * mean;
        var expectedRunningVar = 0.9 * s["norm.running_var"].clone() + 0.1 * unbiased;
        var batchNormalised = (conv - mean.view(1, 3, 1, 1, 1)) / (variance.view(1, 3, 1, 1, 1) + 1e-5).sqrt()
            * s["norm.weight"].view(1, 3, 1, 1, 1) + s["norm.bias"].view(1, 3, 1, 1, 1);
        using (no_grad())
            Assert.True(block.call(x).allclose(nn.functional.gelu(batchNormalised), rtol: 1e-4, atol: 1e-5));
        Assert.True(block.norm.running_mean!.allclose(expectedRunningMean, rtol: 1e-5, atol: 1e-6));
        Assert.True(block.norm.running_var!.allclose(expectedRunningVar, rtol: 1e-5, atol: 1e-6));
    }
}
