using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The 3D RepUX-Net block (<c>repux_block</c> in repuxnet_encoder.py) with deploy semantics: <c>dwconv</c>
/// (k×k×k depthwise, padding k/2, bias) → <c>norm</c> (BatchNorm3d, eps 1e-5, momentum 0.1, affine, running
/// statistics) → GELU (exact). There is no residual, MLP, layer scale or drop-path, whatever the original's unused
/// arguments suggest. The training-time Bayesian frequency re-parameterization is not part of the block: the
/// <c>bfr</c> weight prior installs it on <c>dwconv</c>. Keys: <c>dwconv.weight</c> [C, 1, k, k, k],
/// <c>dwconv.bias</c> [C], <c>norm.weight|bias|running_mean|running_var|num_batches_tracked</c>.
/// </summary>
public sealed class RepUxBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>The original's depthwise kernel size.</summary>
    public const int DefaultKernelSize = 21;

    /// <summary>BatchNorm epsilon (PyTorch's default, used by the original).</summary>
    public const double NormEpsilon = 1e-5;

    /// <summary>BatchNorm running-statistics momentum (PyTorch's default, used by the original).</summary>
    public const double NormMomentum = 0.1;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The large-kernel depthwise convolution.</summary>
    public readonly DepthwiseConv3d dwconv;
    /// <summary>Batch normalisation over channels.</summary>
    public readonly BatchNorm3d norm;
    /// <summary>GELU (exact, erf form).</summary>
    public readonly GELU act;
#pragma warning restore IDE1006

    /// <param name="channels">Channels C (input = output).</param>
    /// <param name="kernelSize">Odd cubic kernel size k of the depthwise convolution (default 21, as the original).</param>
    /// <param name="depthwisePath">How the depthwise convolution is computed (see <see cref="DepthwiseConvPath"/>).</param>
    public RepUxBlock(int channels, int kernelSize = DefaultKernelSize, DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto)
        : base(nameof(RepUxBlock))
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive.");
        Channels = channels;
        dwconv = new DepthwiseConv3d(channels, kernelSize, hasBias: true, depthwisePath);
        norm = nn.BatchNorm3d(channels, eps: NormEpsilon, momentum: NormMomentum);
        act = nn.GELU();
        RegisterComponents();
    }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => act.call(norm.call(dwconv.call(input)));
}
