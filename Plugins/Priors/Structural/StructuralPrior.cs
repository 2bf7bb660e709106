using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using TorchSharp;

namespace Pipeline.Plugins.Priors.Structural;

/// <summary>
/// The <c>structural</c> prior: structural re-parameterization of large depthwise kernels (the alternative that
/// RepUX-Net compares BFR with): each selected layer trains as BN_k(conv_k(x)) + Σ_s BN_s(conv_s(x)) with parallel
/// small kernels (<see cref="StructuralReparameterization"/>), and folds into one plain kernel and bias. Selected
/// layers need a bias to absorb the BatchNorm shifts (UX-Net's and RepUX-Net's have one).
/// </summary>
[ExportPrior(PluginName, "1.0.0",
    "Structural re-parameterization: parallel small depthwise kernels with BatchNorm beside each large kernel, folded exactly for inference.")]
public sealed class StructuralPrior : DepthwiseKernelPrior<StructuralOptions>
{
    /// <summary>The plugin name.</summary>
    public const string PluginName = "structural";

    /// <inheritdoc />
    protected override string Name => PluginName;

    /// <inheritdoc />
    protected override string? Refusal(DepthwiseConv3d layer, StructuralOptions options) =>
        layer.bias is null ? "has no bias to absorb the BatchNorm shifts when folding" : null;

    /// <inheritdoc />
    protected override KernelReparameterization Create(DepthwiseConv3d layer, StructuralOptions options)
    {
        var reparameterization = new StructuralReparameterization(layer.Channels, layer.KernelSize, options.KernelSizes, layer.Path);
        reparameterization.to(layer.weight.dtype).to(layer.weight.device);
        return reparameterization;
    }
}
