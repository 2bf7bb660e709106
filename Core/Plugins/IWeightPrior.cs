using Pipeline.Core.Nn;

namespace Pipeline.Core.Plugins;

/// <summary>
/// Changes how selected layers' weights are parameterized during training (e.g. Bayesian frequency
/// re-parameterization of large depthwise kernels) and folds that change away for inference.
/// </summary>
public interface IWeightPrior : IConfigurablePlugin
{
    /// <summary>Installs the prior on the layers it selects; returns how many layers it changed.</summary>
    int Apply(SegmentationNetwork network, object options);

    /// <summary>Removes every trace of the prior, leaving plain layers whose outputs equal the re-parameterized ones.</summary>
    void Fold(SegmentationNetwork network);
}
