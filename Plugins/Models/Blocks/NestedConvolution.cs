using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>Convolution</c> (monai.networks.blocks) as the UNETR-style blocks build it (<c>get_conv_layer</c>,
/// no norm, no activation): one 3-D convolution, or transposed convolution, held under the name <c>conv</c>, so its state_dict keys read
/// <c>conv.weight</c> / <c>conv.bias</c> exactly as in MONAI checkpoints (e.g. <c>encoder1.layer.conv1.conv.weight</c>).
/// Padding follows MONAI: <c>(kernel_size - stride + 1) / 2</c>, and for a transposed convolution the output padding
/// is <c>2·padding + stride − kernel_size</c>, so a stride-s layer scales spatial sizes by exactly s (or 1/s).
/// </summary>
public sealed class NestedConvolution : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The wrapped <c>Conv3d</c> or <c>ConvTranspose3d</c>.</summary>
    public readonly nn.Module<Tensor, Tensor> conv;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Cubic kernel size; must be at least <paramref name="stride"/> − 1.</param>
    /// <param name="stride">Cubic stride (default 1).</param>
    /// <param name="bias">Whether the convolution has a bias (MONAI's default for these blocks: false).</param>
    /// <param name="transposed">Whether this is a transposed (up-sampling) convolution.</param>
    public NestedConvolution(int inChannels, int outChannels, int kernelSize, int stride = 1, bool bias = false, bool transposed = false)
        : base(nameof(NestedConvolution))
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "in_channels must be positive.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "out_channels must be positive.");
        if (kernelSize <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel_size must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be positive.");
        int paddingTwice = kernelSize - stride + 1;
        if (paddingTwice < 0)
            throw new ArgumentException(
                $"kernel_size {kernelSize} with stride {stride} gives a negative padding (kernel_size - stride + 1) / 2; use kernel_size >= stride - 1.");
        int padding = paddingTwice / 2;

        if (transposed)
        {
            int outputPadding = 2 * padding + stride - kernelSize;
            if (outputPadding < 0)
                throw new ArgumentException(
                    $"transposed kernel_size {kernelSize} with stride {stride} gives a negative output padding 2*padding + stride - kernel_size.");
            conv = nn.ConvTranspose3d(inChannels, outChannels, kernelSize, stride: stride, padding: padding,
                output_padding: outputPadding, bias: bias);
        }
        else
        {
            conv = nn.Conv3d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias);
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => conv.call(input);
}
