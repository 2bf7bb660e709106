using System.Reflection;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Priors.Bfr;
using Pipeline.Plugins.Priors.Structural;
using static TorchSharp.torch;

namespace Pipeline.Tests.Priors;

public sealed class StructuralPriorTests
{
    private static readonly StructuralOptions SmallKernels = new() { KernelSizes = new[] { 3, 5 }, MinKernelSize = 7 };

    [Fact]
    public void IsExportedAsStructuralWithItsOptions()
    {
        var export = typeof(StructuralPrior).GetCustomAttribute<ExportPriorAttribute>();
        Assert.NotNull(export);
        Assert.Equal("structural", export!.Name);
        Assert.Equal(typeof(StructuralOptions), new StructuralPrior().OptionsType);
    }

    [Fact]
    public void LayerComputesTheSumOfNormalisedBranchesAndHoldsTheirKeys()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(201);
        using var network = new SingleDepthwiseNetwork(3, 7, DepthwiseConvPath.Native, seed: 202);
        Assert.Equal(1, new StructuralPrior().Apply(network, SmallKernels));
        PriorTestNetworks.PerturbBatchNorms(network, generator);
        var keys = network.state_dict();
        Assert.Equal(new long[] { 3, 1, 3, 3, 3 }, keys["dwconv.reparam.branches.0.conv.weight"].shape);
        Assert.Equal(new long[] { 3, 1, 5, 5, 5 }, keys["dwconv.reparam.branches.1.conv.weight"].shape);
        Assert.Contains("dwconv.reparam.bn.running_var", keys.Keys);
        Assert.DoesNotContain("dwconv.reparam.branches.0.conv.bias", keys.Keys);

        network.eval();
        var x = randn(new long[] { 2, 3, 6, 7, 8 }, generator: generator);
        var reparam = Assert.IsType<StructuralReparameterization>(network.dwconv.Reparameterization);
        Tensor Normalise(TorchSharp.Modules.BatchNorm3d bn, Tensor t) =>
            (t - bn.running_mean!.view(1, -1, 1, 1, 1)) / (bn.running_var!.view(1, -1, 1, 1, 1) + 1e-5).sqrt()
            * bn.weight!.view(1, -1, 1, 1, 1) + bn.bias!.view(1, -1, 1, 1, 1);
        var expected = Normalise(reparam.bn,
            nn.functional.conv3d(x, network.dwconv.weight, network.dwconv.bias, padding: new long[] { 3, 3, 3 }, groups: 3));
        foreach (var branch in reparam.branches)
        {
            long p = branch.KernelSize / 2;
            expected = expected + Normalise(branch.bn, nn.functional.conv3d(x, branch.conv.weight, padding: new[] { p, p, p }, groups: 3));
        }
        using (no_grad())
            Assert.True(PriorTestNetworks.MaxAbsDiff(network.call(x), expected) < 1e-5);
    }

    [Fact]
    public void FoldIsExactInEvalModeAndLeavesOnlyTheOriginalKeys()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(203);
        using var network = PriorTestNetworks.SmallRepUxNet(kernelSize: 7);
        var plain = network.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);
        var prior = new StructuralPrior();
        Assert.Equal(4, prior.Apply(network, SmallKernels));
        PriorTestNetworks.PerturbBatchNorms(network, generator);
        // Enlarge the branch kernels so they dominate the centre taps: a mistake in padding or scaling them then shows clearly.
        using (no_grad())
            foreach (var layer in network.modules().OfType<DepthwiseConv3d>().Where(layer => layer.KernelSize < 7))
                layer.weight.mul_(5);
        network.eval();
        var x = randn(new long[] { 1, 1, 16, 16, 16 }, generator: generator);
        Tensor unfolded, folded, plainOutput;
        using (no_grad())
        {
            unfolded = network.call(x);
            prior.Fold(network);
            folded = network.call(x);
        }
        using (var reference = PriorTestNetworks.SmallRepUxNet(kernelSize: 7))
        {
            // A fresh plain network loaded with the folded state_dict computes the same thing.
            var state = network.state_dict();
            using (no_grad())
                foreach (var (key, tensor) in reference.state_dict())
                    tensor.copy_(state[key]);
            reference.eval();
            using (no_grad()) plainOutput = reference.call(x);
        }
        double error = PriorTestNetworks.MaxAbsDiff(unfolded, folded);
        Assert.True(error <= 1e-5, $"max |Δ| = {error:G3}");
        Assert.True(PriorTestNetworks.MaxAbsDiff(folded, plainOutput) <= 1e-6);
        var keys = network.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);
        Assert.Equal(plain.Keys.Order(StringComparer.Ordinal), keys.Keys.Order(StringComparer.Ordinal));
        Assert.All(plain, entry => Assert.Equal(entry.Value, keys[entry.Key]));
        Assert.DoesNotContain(keys.Keys, key => key.Contains("reparam", StringComparison.Ordinal));
        Assert.Empty(network.modules().OfType<KernelReparameterization>());
    }

    [Fact]
    public void FoldingIsOneOperationWhicheverPriorInstalledTheMachinery()
    {
        using var scope = NewDisposeScope();
        using var network = new SingleDepthwiseNetwork(2, 7, seed: 204);
        new StructuralPrior().Apply(network, SmallKernels);
        Assert.Equal(3, network.modules().OfType<DepthwiseConv3d>().Count());
        new BfrPrior().Fold(network);
        Assert.Null(network.dwconv.Reparameterization);
        Assert.Single(network.modules().OfType<DepthwiseConv3d>());
    }

    [Fact]
    public void BranchesAreNotSelectedByALaterPrior()
    {
        using var scope = NewDisposeScope();
        using var network = new SingleDepthwiseNetwork(2, 7, seed: 205);
        new StructuralPrior().Apply(network, SmallKernels);
        var error = Assert.Throws<InvalidOperationException>(() => new BfrPrior().Apply(network, new BfrOptions { MinKernelSize = 3 }));
        Assert.Contains("already re-parameterized", error.Message);
        Assert.DoesNotContain("k=3", error.Message);
    }

    [Fact]
    public void RefusesLayersWithoutBiasBeforeInstallingAnything()
    {
        using var scope = NewDisposeScope();
        using var network = new SingleDepthwiseNetwork(2, 7, hasBias: false);
        var error = Assert.Throws<InvalidOperationException>(() => new StructuralPrior().Apply(network, SmallKernels));
        Assert.Contains("no bias", error.Message);
        Assert.Null(network.dwconv.Reparameterization);
    }

    [Fact]
    public void DefaultsFitRepUxNetKernelsAndAreValid()
    {
        var options = new StructuralOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(new[] { 3, 5, 7 }, options.KernelSizes);
        Assert.Equal(9, options.MinKernelSize);
    }

    public static IEnumerable<object[]> InvalidOptions() => new[]
    {
        new object[] { new StructuralOptions { KernelSizes = Array.Empty<int>() }, "kernel_sizes", "at least one" },
        new object[] { new StructuralOptions { KernelSizes = new[] { 3, 4 } }, "kernel_sizes", "positive odd" },
        new object[] { new StructuralOptions { KernelSizes = new[] { -3 } }, "kernel_sizes", "positive odd" },
        new object[] { new StructuralOptions { KernelSizes = new[] { 3, 3 } }, "kernel_sizes", "distinct" },
        new object[] { new StructuralOptions { KernelSizes = new[] { 3, 5 }, MinKernelSize = 5 }, "min_kernel_size", "largest 5" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void ReportsEachProblemUnderItsSnakeCaseKey(StructuralOptions options, string key, string messagePart)
    {
        var problem = Assert.Single(options.Validate().ToList());
        Assert.Equal(key, problem.Key);
        Assert.Contains(messagePart, problem.Message);
    }

    [Fact]
    public void EveryPropertyIsDescribed() =>
        Assert.DoesNotContain(typeof(StructuralOptions).GetProperties(),
            p => p.CanWrite && p.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false).Length == 0);
}
