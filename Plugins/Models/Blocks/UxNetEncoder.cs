using Pipeline.Core.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The 3D UX-Net encoder (<c>uxnet_conv</c> in uxnet_encoder.py; the <c>uxnet_3d</c> submodule of <c>UXNET</c>):
/// a <see cref="HierarchicalConvEncoder"/> whose stages stack <see cref="UxBlock"/>s.
/// </summary>
public sealed class UxNetEncoder : HierarchicalConvEncoder
{
    /// <param name="inChannels">Channels of the input image.</param>
    /// <param name="depths">Number of <see cref="UxBlock"/>s per stage (3D UX-Net: [2, 2, 2, 2]).</param>
    /// <param name="dims">Channels per stage, same length as <paramref name="depths"/> (3D UX-Net: [48, 96, 192, 384]).</param>
    /// <param name="kernelSize">Odd depthwise kernel size of every block (3D UX-Net: 7).</param>
    /// <param name="dropPathRate">Largest drop-path probability; block b of B gets rate·b/(B−1), as torch.linspace(0, rate, B) (default 0).</param>
    /// <param name="layerScaleInitValue">Initial γ of every block (default 1e-6; 0: no layer scale).</param>
    /// <param name="depthwisePath">How the blocks' depthwise convolutions are computed.</param>
    public UxNetEncoder(int inChannels, IReadOnlyList<int> depths, IReadOnlyList<int> dims, int kernelSize = 7,
        double dropPathRate = 0, double layerScaleInitValue = 1e-6, DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto)
        : base(nameof(UxNetEncoder), inChannels, depths, dims,
            BlockFactory(depths, kernelSize, dropPathRate, layerScaleInitValue, depthwisePath))
    {
    }

    private static Func<int, int, nn.Module<Tensor, Tensor>> BlockFactory(IReadOnlyList<int> depths, int kernelSize,
        double dropPathRate, double layerScaleInitValue, DepthwiseConvPath depthwisePath)
    {
        if (dropPathRate < 0 || dropPathRate >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropPathRate), dropPathRate, "drop_path_rate must be in [0, 1).");
        var rates = DropPathRates(dropPathRate, depths.Sum());
        return (dim, block) => new UxBlock(dim, kernelSize, rates[block], layerScaleInitValue, depthwisePath);
    }

    private static double[] DropPathRates(double maximum, int blocks) =>
        Enumerable.Range(0, Math.Max(blocks, 0)).Select(b => blocks == 1 ? 0 : maximum * b / (blocks - 1)).ToArray();
}
