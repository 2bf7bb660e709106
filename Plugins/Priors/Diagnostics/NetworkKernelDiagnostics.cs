using Pipeline.Core.Nn;
using TorchSharp;

namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>
/// Measures the effective kernel (<see cref="EffectiveKernel"/>) of every large depthwise layer of a network: the
/// network's own <see cref="DepthwiseConv3d"/> layers with kernel size ≥ a threshold, not the small branches that a
/// re-parameterization adds beside them.
/// </summary>
public static class NetworkKernelDiagnostics
{
    /// <summary>One report per own depthwise layer of <paramref name="network"/> with kernel size ≥ <paramref name="minKernelSize"/>, in module order.</summary>
    public static IReadOnlyList<LayerKernelReport> Measure(torch.nn.Module network, int minKernelSize = 5)
    {
        ArgumentNullException.ThrowIfNull(network);
        return OwnLayers(network)
            .Where(entry => entry.Layer.KernelSize >= minKernelSize)
            .Select(entry =>
            {
                using var kernel = EffectiveKernel.Of(entry.Layer);
                return new LayerKernelReport(entry.Name, entry.Layer.Channels, entry.Layer.KernelSize,
                    entry.Layer.Reparameterization?.GetName() ?? "none", KernelProfile.Of(kernel));
            })
            .ToList();
    }

    /// <summary>The network's own depthwise layers with their module paths (layers owned by a re-parameterization excluded).</summary>
    public static IEnumerable<(string Name, DepthwiseConv3d Layer)> OwnLayers(torch.nn.Module network)
    {
        var all = network.named_modules()
            .Where(entry => entry.module is DepthwiseConv3d)
            .Select(entry => (Name: entry.name, Layer: (DepthwiseConv3d)entry.module))
            .ToList();
        var machinery = all
            .Where(entry => entry.Layer.Reparameterization is not null)
            .SelectMany(entry => entry.Layer.Reparameterization!.modules())
            .ToHashSet(ReferenceEqualityComparer.Instance);
        return all.Where(entry => !machinery.Contains(entry.Layer));
    }
}
