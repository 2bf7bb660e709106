using Pipeline.Core.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>
/// The kernel a <see cref="DepthwiseConv3d"/> effectively convolves with, i.e. the kernel it would hold after folding:
/// the stored weight for a plain layer (and for BFR's official mode, whose weight already is W₀ ⊙ BFMⁿ), W ⊙ BFM for
/// BFR's reparam mode, and the merged kernel for a structural re-parameterization.
/// </summary>
public static class EffectiveKernel
{
    /// <summary>
    /// The effective kernel of <paramref name="layer"/>, [C, 1, k, k, k], detached, on the layer's device and dtype.
    /// The layer is left untouched: the installed re-parameterization folds into a scratch copy of the layer.
    /// </summary>
    public static Tensor Of(DepthwiseConv3d layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        using var noGrad = no_grad();
        if (layer.Reparameterization is null) return layer.weight.detach().clone();

        // Folding is the one place each prior defines its deploy kernel, so asking it to fold into a copy gives the
        // effective kernel of any prior, present or future, without knowing its type.
        using var scratch = new DepthwiseConv3d(layer.Channels, layer.KernelSize, layer.bias is not null, layer.Path);
        scratch.to(layer.weight.dtype).to(layer.weight.device);
        scratch.weight.copy_(layer.weight);
        if (layer.bias is not null) scratch.bias!.copy_(layer.bias);
        layer.Reparameterization.FoldInto(scratch);
        return scratch.weight.detach().clone();
    }
}
