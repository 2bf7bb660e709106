using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary>Key layout and shapes of the MONAI UNETR wrappers: basic, up and out blocks.</summary>
public sealed class UnetrBlocksTests
{
    [Fact]
    public void BasicBlockNestsTheResidualBlockUnderLayer()
    {
        using var scope = NewDisposeScope();
        using var block = new UnetrBasicBlock(1, 8);
        Assert.Equal(
            new[] { "layer.conv1.conv.weight", "layer.conv2.conv.weight", "layer.conv3.conv.weight" },
            block.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UpBlockDoublesTheSizeAndConcatenatesUpsampledThenSkip()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(51);
        using var block = new UnetrUpBlock(6, 3);
        var keys = block.state_dict();
        Assert.Equal(new long[] { 6, 3, 2, 2, 2 }, keys["transp_conv.conv.weight"].shape);
        Assert.Equal(new long[] { 3, 6, 3, 3, 3 }, keys["conv_block.conv1.conv.weight"].shape);
        Assert.Equal(new long[] { 3, 6, 1, 1, 1 }, keys["conv_block.conv3.conv.weight"].shape);
        Assert.DoesNotContain(keys.Keys, key => key.EndsWith("bias"));

        var coarse = randn(new long[] { 2, 6, 2, 3, 4 }, generator: generator);
        var skip = randn(new long[] { 2, 3, 4, 6, 8 }, generator: generator);
        block.eval();
        using (no_grad())
        {
            var y = block.call(coarse, skip);
            Assert.Equal(new long[] { 2, 3, 4, 6, 8 }, y.shape);
            var upsampled = block.transp_conv.call(coarse);
            var expected = block.conv_block.call(cat(new[] { upsampled, skip }, 1));
            Assert.True(y.allclose(expected));
        }
    }

    [Fact]
    public void OutBlockIsAOneByOneConvolutionWithBias()
    {
        using var scope = NewDisposeScope();
        using var head = new UnetOutBlock(8, 5);
        var keys = head.state_dict();
        Assert.Equal(new long[] { 5, 8, 1, 1, 1 }, keys["conv.conv.weight"].shape);
        Assert.Equal(new long[] { 5 }, keys["conv.conv.bias"].shape);
        Assert.Equal(2, keys.Count);
    }
}
