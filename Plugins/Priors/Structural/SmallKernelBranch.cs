using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Structural;

/// <summary>
/// One small-kernel branch of a structural re-parameterization: <c>conv</c> (k_s×k_s×k_s depthwise, padding k_s/2, no
/// bias) → <c>bn</c> (BatchNorm3d, eps 1e-5, momentum 0.1).
/// </summary>
public sealed class SmallKernelBranch : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The small depthwise kernel.</summary>
    public readonly DepthwiseConv3d conv;
    /// <summary>Its batch normalisation.</summary>
    public readonly BatchNorm3d bn;
#pragma warning restore IDE1006

    /// <param name="channels">Channels C of the layer the branch runs beside.</param>
    /// <param name="kernelSize">Odd kernel size k_s, smaller than the layer's.</param>
    /// <param name="path">How the branch's convolution is computed (the layer's own path).</param>
    public SmallKernelBranch(int channels, int kernelSize, DepthwiseConvPath path) : base(nameof(SmallKernelBranch))
    {
        conv = new DepthwiseConv3d(channels, kernelSize, hasBias: false, path);
        bn = nn.BatchNorm3d(channels, eps: StructuralReparameterization.NormEpsilon, momentum: StructuralReparameterization.NormMomentum);
        RegisterComponents();
    }

    /// <summary>Kernel size k_s.</summary>
    public int KernelSize => conv.KernelSize;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => bn.call(conv.call(input));
}
