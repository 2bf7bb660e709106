using Pipeline.Core.Nn;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The 3D RepUX-Net encoder (<c>repuxnet_conv</c> in repuxnet_encoder.py; the <c>repuxnet_3d</c> submodule of
/// <c>REPUXNET</c>): a <see cref="HierarchicalConvEncoder"/> whose stages stack <see cref="RepUxBlock"/>s. Stem,
/// down-sampling layers and output norms are those of 3D UX-Net.
/// </summary>
public sealed class RepUxNetEncoder : HierarchicalConvEncoder
{
    /// <param name="inChannels">Channels of the input image.</param>
    /// <param name="depths">Number of <see cref="RepUxBlock"/>s per stage (RepUX-Net: [2, 2, 2, 2]).</param>
    /// <param name="dims">Channels per stage, same length as <paramref name="depths"/> (RepUX-Net: [48, 96, 192, 384]).</param>
    /// <param name="kernelSize">Odd depthwise kernel size of every block (RepUX-Net: 21).</param>
    /// <param name="depthwisePath">How the blocks' depthwise convolutions are computed.</param>
    public RepUxNetEncoder(int inChannels, IReadOnlyList<int> depths, IReadOnlyList<int> dims,
        int kernelSize = RepUxBlock.DefaultKernelSize, DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto)
        : base(nameof(RepUxNetEncoder), inChannels, depths, dims, (dim, _) => new RepUxBlock(dim, kernelSize, depthwisePath))
    {
    }
}
