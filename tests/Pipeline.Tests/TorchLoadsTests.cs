using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests;

/// <summary>Proves the native compatibility step works: libtorch loads and computes on this machine.</summary>
public class TorchLoadsTests
{
    [Fact]
    public void LibTorchLoadsAndComputesAConvolution()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var x = randn(new long[] { 1, 2, 5, 5, 5 }, generator: gen);
        var w = ones(new long[] { 3, 2, 3, 3, 3 });
        var y = nn.functional.conv3d(x, w, padding: new long[] { 1, 1, 1 });
        Assert.Equal(new long[] { 1, 3, 5, 5, 5 }, y.shape);
        // The centre voxel sees the full 3x3x3 neighbourhood of both channels.
        double expected = x[0, .., 1..4, 1..4, 1..4].sum().item<float>();
        Assert.Equal(expected, y[0, 0, 2, 2, 2].item<float>(), 4);
    }
}
