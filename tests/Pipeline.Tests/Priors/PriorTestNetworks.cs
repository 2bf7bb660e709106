using Pipeline.Plugins.Models.Nets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Priors;

/// <summary>Small RepUX-Net / UX-Net configurations and weight perturbations shared by the prior tests.</summary>
public static class PriorTestNetworks
{
    /// <summary>A RepUX-Net with one block per stage, narrow stages, head following feature_sizes[0].</summary>
    public static RepUxNet3D SmallRepUxNet(int kernelSize = 7) =>
        new(inChannels: 1, outChannels: 2, depths: new[] { 1, 1, 1, 1 }, featureSizes: new[] { 4, 6, 8, 10 }, hiddenSize: 12,
            kernelSize: kernelSize, headFollowsFeatureSize: true);

    /// <summary>
    /// Gives every BatchNorm3d under <paramref name="module"/> non-trivial affine parameters and running statistics
    /// (γ ∈ [0.5, 1.5), β ~ 0.1·N, μ ~ 0.2·N, σ² ∈ [0.5, 1.5)), so folding them is actually exercised.
    /// </summary>
    public static void PerturbBatchNorms(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var norm in module.modules().OfType<BatchNorm3d>())
        {
            long channels = norm.weight!.shape[0];
            norm.weight.copy_(rand(channels, generator: generator) + 0.5);
            norm.bias!.copy_(0.1 * randn(channels, generator: generator));
            norm.running_mean!.copy_(0.2 * randn(channels, generator: generator));
            norm.running_var!.copy_(rand(channels, generator: generator) + 0.5);
        }
    }

    /// <summary>Largest absolute difference of two tensors.</summary>
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();
    }
}
