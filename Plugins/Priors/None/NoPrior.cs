using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Priors.None;

/// <summary>Options of the <c>none</c> prior: there are none.</summary>
public sealed class NoPriorOptions;

/// <summary>Plain convolutions: the network is trained exactly as the backbone builds it.</summary>
[ExportPrior("none", "1.0.0", "No weight prior: large kernels are trained as plain convolutions.")]
public sealed class NoPrior : IWeightPrior
{
    /// <inheritdoc />
    public Type OptionsType => typeof(NoPriorOptions);

    /// <inheritdoc />
    public int Apply(SegmentationNetwork network, object options) => 0;

    /// <inheritdoc />
    public void Fold(SegmentationNetwork network)
    {
        // Nothing was installed, so nothing to fold.
    }
}
