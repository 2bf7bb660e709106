using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Priors.Bfr;

/// <summary>
/// The <c>bfr</c> prior: RepUX-Net's Bayesian frequency re-parameterization of large depthwise kernels, with the
/// prior BFM(p) = α / (‖p − c‖₂ + α) (see <see cref="BayesianFrequencyMatrix"/>), in the paper's form
/// (<see cref="BfrReparameterization"/>) or the released code's (<see cref="OfficialBfrReparameterization"/>).
/// Folding leaves plain layers with the deploy kernel: W ⊙ BFM (reparam) or the kernel as it stands after the calls
/// made so far (official).
/// </summary>
[ExportPrior(PluginName, "1.0.0",
    "Bayesian frequency re-parameterization (RepUX-Net): large depthwise kernels scaled by alpha/(|p-c|+alpha); reparam or official mode.")]
public sealed class BfrPrior : DepthwiseKernelPrior<BfrOptions>
{
    /// <summary>The plugin name.</summary>
    public const string PluginName = "bfr";

    /// <inheritdoc />
    protected override string Name => PluginName;

    /// <inheritdoc />
    protected override KernelReparameterization Create(DepthwiseConv3d layer, BfrOptions options)
    {
        var matrix = BayesianFrequencyMatrix.Create(layer.KernelSize, options.Alpha).to(layer.weight.dtype, layer.weight.device);
        return options.Mode switch
        {
            BfrMode.Official => new OfficialBfrReparameterization(layer, matrix),
            _ => new BfrReparameterization(matrix),
        };
    }
}
