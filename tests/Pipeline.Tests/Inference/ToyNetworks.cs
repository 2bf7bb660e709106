using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

/// <summary>Small deterministic stand-ins for a segmentation network, each a pure function of one window.</summary>
internal static class ToyNetworks
{
    /// <summary>
    /// Three output channels that depend on the voxel values, on the voxel's position inside the window and on the
    /// window's mean: neither translation- nor flip-equivariant, so where windows lie and how they are blended shows.
    /// </summary>
    public static Tensor PositionDependent(Tensor x)
    {
        using var scope = NewDisposeScope();
        long d = x.shape[2], h = x.shape[3], w = x.shape[4];
        var zi = arange(d, ScalarType.Float32).view(1, 1, d, 1, 1);
        var yi = arange(h, ScalarType.Float32).view(1, 1, 1, h, 1);
        var xi = arange(w, ScalarType.Float32).view(1, 1, 1, 1, w);
        var first = x[.., ..1];
        var mean = x.mean([1, 2, 3, 4], keepdim: true);
        var c0 = first + 0.1 * zi;
        var c1 = first * first * 0.5 - 0.2 * yi + mean;
        var c2 = first.sin() + 0.05 * xi * zi - 2 * mean;
        return cat([c0, c1, c2], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A 3×3×3 convolution (zero padding) whose kernels are symmetric under flips of every spatial axis, so the network
    /// commutes with flips: predicting flipped windows and flipping back changes nothing.
    /// </summary>
    public static nn.Module<Tensor, Tensor> FlipSymmetricConvolution(int inChannels, int outChannels, int seed)
    {
        var conv = nn.Conv3d(inChannels, outChannels, 3, padding: 1);
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = randn(conv.weight!.shape, generator: generator);
        var symmetric = zeros_like(weight);
        foreach (var axes in new long[][] { [], [2], [3], [4], [2, 3], [2, 4], [3, 4], [2, 3, 4] })
            symmetric.add_(axes.Length == 0 ? weight : weight.flip(axes));
        conv.weight!.copy_(symmetric / 8);
        conv.bias!.copy_(randn(conv.bias.shape, generator: generator));
        return conv;
    }
}
