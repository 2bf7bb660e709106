using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Nn;

/// <summary>
/// Training-time re-parameterization of a <see cref="DepthwiseConv3d"/>, installed by a weight prior. It computes the
/// layer's output from the layer's own parameters plus anything it owns, and can fold itself into a plain kernel.
/// </summary>
public abstract class KernelReparameterization : nn.Module
{
    /// <param name="name">Module name for diagnostics.</param>
    protected KernelReparameterization(string name) : base(name) { }

    /// <summary>The layer's output for <paramref name="input"/> under this parameterization.</summary>
    public abstract Tensor Forward(DepthwiseConv3d layer, Tensor input);

    /// <summary>Writes the equivalent plain kernel and bias into <paramref name="layer"/>'s own parameters.</summary>
    public abstract void FoldInto(DepthwiseConv3d layer);
}
