using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>UnetrUpBlock</c> with <c>res_block=True</c> (unetr_block.py): up-sample with a transposed convolution
/// (<c>transp_conv</c>, kernel = stride = <c>upsampleKernelSize</c>, no bias), concatenate <c>(upsampled, skip)</c>
/// along channels, in that order, then a <see cref="UnetResBlock"/> (<c>conv_block</c>, 2·out → out, stride 1).
/// Keys: <c>transp_conv.conv.weight</c> [in, out, u, u, u] and <c>conv_block.conv{1,2,3}.conv.weight</c>.
/// </summary>
public sealed class UnetrUpBlock : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The up-sampling transposed convolution.</summary>
    public readonly NestedConvolution transp_conv;
    /// <summary>The residual block applied to the concatenation.</summary>
    public readonly UnetResBlock conv_block;
#pragma warning restore IDE1006

    /// <param name="inChannels">Channels of the input being up-sampled.</param>
    /// <param name="outChannels">Output channels; the skip connection must have this many channels too.</param>
    /// <param name="kernelSize">Cubic kernel size of the residual block's convolutions (3 in UNETR-style nets).</param>
    /// <param name="upsampleKernelSize">Kernel size and stride of the transposed convolution (2: doubles each spatial size).</param>
    public UnetrUpBlock(int inChannels, int outChannels, int kernelSize = 3, int upsampleKernelSize = 2) : base(nameof(UnetrUpBlock))
    {
        transp_conv = new NestedConvolution(inChannels, outChannels, upsampleKernelSize, upsampleKernelSize, bias: false, transposed: true);
        conv_block = new UnetResBlock(outChannels + outChannels, outChannels, kernelSize, 1);
        RegisterComponents();
    }

    /// <summary>Up-samples <paramref name="input"/> and fuses it with <paramref name="skip"/>.</summary>
    /// <param name="input">The coarser feature map, [N, in, D, H, W].</param>
    /// <param name="skip">The skip connection, [N, out, u·D, u·H, u·W].</param>
    public override Tensor forward(Tensor input, Tensor skip)
    {
        var upsampled = transp_conv.call(input);
        var fused = cat(new[] { upsampled, skip }, dim: 1);
        return conv_block.call(fused);
    }
}
