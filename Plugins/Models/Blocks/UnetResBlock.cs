using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>UnetResBlock</c> (dynunet_block.py) with the settings every UNETR-style network here uses:
/// <c>conv1</c> (k, stride s, no bias) → InstanceNorm3d (no affine, eps 1e-5) → LeakyReLU(0.01) → <c>conv2</c>
/// (k, stride 1, no bias) → InstanceNorm3d; the residual goes through <c>conv3</c> (1×1×1, stride s, no bias) →
/// InstanceNorm3d when the channel count or the stride changes, else it is the input; then add and LeakyReLU(0.01).
/// State_dict keys: <c>conv1.conv.weight</c>, <c>conv2.conv.weight</c>, and <c>conv3.conv.weight</c> when present
/// (the norms have no parameters).
/// </summary>
public sealed class UnetResBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Slope of the LeakyReLU for negative inputs (MONAI's default for these blocks).</summary>
    public const double NegativeSlope = 0.01;

    /// <summary>Epsilon of the instance norms (PyTorch's default).</summary>
    public const double NormEpsilon = 1e-5;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>First convolution: k×k×k, stride s.</summary>
    public readonly NestedConvolution conv1;
    /// <summary>Second convolution: k×k×k, stride 1.</summary>
    public readonly NestedConvolution conv2;
    /// <summary>Residual projection (1×1×1, stride s), or null when the residual is the input itself.</summary>
    public readonly NestedConvolution? conv3;
    /// <summary>LeakyReLU(0.01), applied in place.</summary>
    public readonly nn.Module<Tensor, Tensor> lrelu;
    /// <summary>Instance norm after <see cref="conv1"/>.</summary>
    public readonly nn.Module<Tensor, Tensor> norm1;
    /// <summary>Instance norm after <see cref="conv2"/>.</summary>
    public readonly nn.Module<Tensor, Tensor> norm2;
    /// <summary>Instance norm after <see cref="conv3"/>, or null with it.</summary>
    public readonly nn.Module<Tensor, Tensor>? norm3;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Cubic kernel size k of <see cref="conv1"/> and <see cref="conv2"/> (3 in UNETR-style nets).</param>
    /// <param name="stride">Cubic stride s of <see cref="conv1"/> and of the residual projection (default 1).</param>
    public UnetResBlock(int inChannels, int outChannels, int kernelSize, int stride = 1) : base(nameof(UnetResBlock))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        conv1 = new NestedConvolution(inChannels, outChannels, kernelSize, stride);
        conv2 = new NestedConvolution(outChannels, outChannels, kernelSize, 1);
        lrelu = nn.LeakyReLU(NegativeSlope, inplace: true);
        norm1 = InstanceNorm(outChannels);
        norm2 = InstanceNorm(outChannels);
        if (inChannels != outChannels || stride != 1)
        {
            conv3 = new NestedConvolution(inChannels, outChannels, 1, stride);
            norm3 = InstanceNorm(outChannels);
        }
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var output = conv1.call(input);
        output = norm1.call(output);
        output = lrelu.call(output);
        output = conv2.call(output);
        output = norm2.call(output);
        var residual = conv3 is null ? input : norm3!.call(conv3.call(input));
        output = output.add_(residual);
        return lrelu.call(output);
    }

    private static nn.Module<Tensor, Tensor> InstanceNorm(int channels) =>
        nn.InstanceNorm3d(channels, eps: NormEpsilon, affine: false, track_running_stats: false);
}
