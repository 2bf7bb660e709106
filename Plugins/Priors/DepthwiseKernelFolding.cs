using Pipeline.Core.Nn;

namespace Pipeline.Plugins.Priors;

/// <summary>
/// The one folding operation behind every depthwise-kernel prior's <c>Fold</c>: each <see cref="DepthwiseConv3d"/>
/// that carries a <see cref="KernelReparameterization"/>, whichever prior installed it, writes its equivalent plain
/// kernel and bias into its own parameters and drops the machinery (<see cref="DepthwiseConv3d.Fold"/>). Afterwards
/// the network holds only its backbone's own modules and state_dict keys.
/// </summary>
public static class DepthwiseKernelFolding
{
    /// <summary>Folds every installed re-parameterization of <paramref name="network"/>; returns how many layers were folded.</summary>
    public static int FoldAll(SegmentationNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = network.modules().OfType<DepthwiseConv3d>().Where(layer => layer.Reparameterization is not null).ToList();
        foreach (var layer in layers)
            layer.Fold();
        return layers.Count;
    }
}
