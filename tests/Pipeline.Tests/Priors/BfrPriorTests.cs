using System.Reflection;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models.Nets;
using Pipeline.Plugins.Priors;
using Pipeline.Plugins.Priors.Bfr;
using static TorchSharp.torch;

namespace Pipeline.Tests.Priors;

public sealed class BfrPriorTests
{
    [Fact]
    public void IsExportedAsBfrWithItsOptions()
    {
        var export = typeof(BfrPrior).GetCustomAttribute<ExportPriorAttribute>();
        Assert.NotNull(export);
        Assert.Equal("bfr", export!.Name);
        Assert.Equal(typeof(BfrOptions), new BfrPrior().OptionsType);
    }

    [Fact]
    public void FrequencyMatrixIsTheReciprocalDistancePrior()
    {
        using var scope = NewDisposeScope();
        var bfm = BayesianFrequencyMatrix.Create(21, 1);
        Assert.Equal(new long[] { 21, 21, 21 }, bfm.shape);
        Assert.Equal(ScalarType.Float32, bfm.dtype);
        Assert.Equal(1f, bfm[10, 10, 10].item<float>());
        Assert.Equal(0.5f, bfm[10, 10, 11].item<float>());
        Assert.Equal((float)(1 / (Math.Sqrt(2) + 1)), bfm[9, 11, 10].item<float>());
        Assert.Equal((float)(1 / (10 + 1.0)), bfm[0, 10, 10].item<float>());
        Assert.Equal((float)(1 / (10 * Math.Sqrt(3) + 1)), bfm[20, 0, 20].item<float>());
        Assert.Equal(0.0996, bfm.mean().item<float>(), 4);
        var wide = BayesianFrequencyMatrix.Create(3, 2.5);
        Assert.Equal((float)(2.5 / (Math.Sqrt(3) + 2.5)), wide[0, 2, 0].item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => BayesianFrequencyMatrix.Create(4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BayesianFrequencyMatrix.Create(5, 0));
    }

    [Theory]
    [InlineData(DepthwiseConvPath.Native)]
    [InlineData(DepthwiseConvPath.Fft)]
    [InlineData(DepthwiseConvPath.DirectBackward)]
    public void ReparamModeScalesTheKernelGradientByTheMatrix(DepthwiseConvPath path)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(101);
        using var network = new SingleDepthwiseNetwork(3, 7, path, seed: 102);
        Assert.Equal(1, new BfrPrior().Apply(network, new BfrOptions { Alpha = 1.5 }));
        var bfm = BayesianFrequencyMatrix.Create(7, 1.5);
        var x = randn(new long[] { 2, 3, 6, 7, 8 }, generator: generator);
        var upstream = randn(new long[] { 2, 3, 6, 7, 8 }, generator: generator);

        network.train();
        var y = network.call(x);
        (y * upstream).sum().backward();

        // Reference: the effective kernel as a leaf of its own, same path.
        var effective = (network.dwconv.weight.detach() * bfm).requires_grad_();
        var bias = network.dwconv.bias!.detach().requires_grad_();
        var reference = DepthwiseConvolution.Apply(x, effective, bias, path);
        (reference * upstream).sum().backward();

        Assert.True(PriorTestNetworks.MaxAbsDiff(y, reference) < 1e-5, "forward differs from a convolution with W ⊙ BFM");
        var expected = bfm * effective.grad!;
        double tolerance = 1e-5 * Math.Max(1, expected.abs().max().item<float>());
        Assert.True(PriorTestNetworks.MaxAbsDiff(network.dwconv.weight.grad!, expected) < tolerance, "∂L/∂W ≠ BFM ⊙ ∂L/∂W_eff");
        Assert.True(PriorTestNetworks.MaxAbsDiff(network.dwconv.bias!.grad!, bias.grad!) < tolerance, "the bias gradient changed");
        Assert.True(network.dwconv.weight.requires_grad);
    }

    [Fact]
    public void ReparamModeKeepsTheStateDictKeysAndFoldsTheMatrixIn()
    {
        using var scope = NewDisposeScope();
        using var network = new SingleDepthwiseNetwork(2, 7, seed: 103);
        var plainKeys = network.state_dict().Keys.ToList();
        var w0 = network.dwconv.weight.detach().clone();
        new BfrPrior().Apply(network, new BfrOptions());
        Assert.Equal(plainKeys, network.state_dict().Keys.ToList());
        Assert.IsType<BfrReparameterization>(network.dwconv.Reparameterization);

        new BfrPrior().Fold(network);
        Assert.Null(network.dwconv.Reparameterization);
        Assert.Equal(plainKeys, network.state_dict().Keys.ToList());
        Assert.True(network.dwconv.weight.equal(w0 * BayesianFrequencyMatrix.Create(7, 1)).all().item<bool>());
    }

    [Fact]
    public void OfficialModeCompoundsTheMatrixOnEveryCallAndFreezesTheKernel()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(104);
        using var network = new SingleDepthwiseNetwork(2, 7, DepthwiseConvPath.DirectBackward, seed: 105);
        var w0 = network.dwconv.weight.detach().clone();
        new BfrPrior().Apply(network, new BfrOptions { Mode = BfrMode.Official });
        Assert.False(network.dwconv.weight.requires_grad);
        var bfm = BayesianFrequencyMatrix.Create(7, 1);
        var x = randn(new long[] { 1, 2, 8, 8, 8 }, generator: generator);

        // Two eval calls without autograd, then two train calls with autograd before a single backward.
        network.eval();
        using (no_grad())
        {
            network.call(x);
            network.call(x);
        }
        network.train();
        var loss = network.call(x).square().mean() + network.call(x).square().mean();
        loss.backward();

        var expected = w0.clone();
        for (int call = 0; call < 4; call++) expected = expected * bfm;
        Assert.True(network.dwconv.weight.equal(expected).all().item<bool>(), "the kernel is not W0 ⊙ BFM ⊙ BFM ⊙ BFM ⊙ BFM");
        Assert.True(PriorTestNetworks.MaxAbsDiff(network.dwconv.weight, w0 * bfm.pow(4)) < 1e-9);
        Assert.Null(network.dwconv.weight.grad);
        Assert.NotNull(network.dwconv.bias!.grad);
    }

    [Fact]
    public void OfficialModeKernelIsNeverChangedByTheOptimizer()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(106);
        using var network = new SingleDepthwiseNetwork(2, 5, DepthwiseConvPath.DirectBackward, seed: 107);
        new BfrPrior().Apply(network, new BfrOptions { Mode = BfrMode.Official, MinKernelSize = 5 });
        var optimizer = optim.AdamW(network.parameters(), lr: 0.1, weight_decay: 0.5);
        var bfm = BayesianFrequencyMatrix.Create(5, 1);
        var x = randn(new long[] { 1, 2, 6, 6, 6 }, generator: generator);
        var kernel = network.dwconv.weight.detach().clone();
        var bias = network.dwconv.bias!.detach().clone();

        network.train();
        for (int step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            network.call(x).square().mean().backward();
            optimizer.step();
            kernel = kernel * bfm;
            Assert.True(network.dwconv.weight.equal(kernel).all().item<bool>(), $"step {step}: the optimizer changed the kernel");
        }
        Assert.False(network.dwconv.bias!.equal(bias).all().item<bool>(), "the bias was not trained");
    }

    [Theory]
    [InlineData(BfrMode.Reparam)]
    [InlineData(BfrMode.Official)]
    public void FoldedNetworkGivesTheLastUnfoldedOutputWithOnlyTheOriginalKeys(BfrMode mode)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(108);
        using var network = PriorTestNetworks.SmallRepUxNet(kernelSize: 7);
        PriorTestNetworks.PerturbBatchNorms(network, generator);
        var plain = network.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);
        var prior = new BfrPrior();
        Assert.Equal(4, prior.Apply(network, new BfrOptions { Mode = mode }));
        network.eval();
        var x = randn(new long[] { 1, 1, 16, 16, 16 }, generator: generator);
        Tensor unfolded, folded;
        using (no_grad())
        {
            unfolded = network.call(x);
            prior.Fold(network);
            folded = network.call(x);
        }
        Assert.True(PriorTestNetworks.MaxAbsDiff(unfolded, folded) <= 1e-5, $"max |Δ| = {PriorTestNetworks.MaxAbsDiff(unfolded, folded):G3}");
        var keys = network.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);
        Assert.Equal(plain.Keys.Order(StringComparer.Ordinal), keys.Keys.Order(StringComparer.Ordinal));
        Assert.All(plain, entry => Assert.Equal(entry.Value, keys[entry.Key]));
        Assert.Empty(network.modules().OfType<KernelReparameterization>());
        Assert.All(network.modules().OfType<DepthwiseConv3d>(), layer => Assert.True(layer.weight.requires_grad));
        Assert.Equal(0, DepthwiseKernelFolding.FoldAll(network));
    }

    [Fact]
    public void AppliesToUxNetWithLargeKernels()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(109);
        using var network = new UxNet3D(1, 2, new[] { 1, 1, 1, 1 }, new[] { 4, 6, 8, 10 }, hiddenSize: 12, kernelSize: 21,
            headFollowsFeatureSize: true);
        var prior = new BfrPrior();
        Assert.Equal(4, prior.Apply(network, new BfrOptions()));
        Assert.All(network.modules().OfType<DepthwiseConv3d>(), layer => Assert.IsType<BfrReparameterization>(layer.Reparameterization));
        network.eval();
        var x = randn(new long[] { 1, 1, 16, 16, 16 }, generator: generator);
        Tensor unfolded, folded;
        using (no_grad())
        {
            unfolded = network.call(x);
            prior.Fold(network);
            folded = network.call(x);
        }
        Assert.True(PriorTestNetworks.MaxAbsDiff(unfolded, folded) <= 1e-5);
    }

    [Fact]
    public void RefusesNetworksWithoutQualifyingLayersAndSecondInstallations()
    {
        using var scope = NewDisposeScope();
        using var network = PriorTestNetworks.SmallRepUxNet(kernelSize: 5);
        var none = Assert.Throws<InvalidOperationException>(() => new BfrPrior().Apply(network, new BfrOptions()));
        Assert.Contains("min_kernel_size", none.Message);
        Assert.Contains("[5]", none.Message);

        new BfrPrior().Apply(network, new BfrOptions { MinKernelSize = 5 });
        var twice = Assert.Throws<InvalidOperationException>(() => new BfrPrior().Apply(network, new BfrOptions { MinKernelSize = 5 }));
        Assert.Contains("already re-parameterized", twice.Message);
    }

    [Fact]
    public void RejectsInvalidOrForeignOptionsBeforeChangingAnything()
    {
        using var scope = NewDisposeScope();
        using var network = new SingleDepthwiseNetwork(2, 7);
        var invalid = Assert.Throws<ArgumentException>(() => new BfrPrior().Apply(network, new BfrOptions { Alpha = 0, MinKernelSize = 0 }));
        Assert.Contains("alpha", invalid.Message);
        Assert.Contains("min_kernel_size", invalid.Message);
        var foreign = Assert.Throws<ArgumentException>(() => new BfrPrior().Apply(network, new object()));
        Assert.Contains(nameof(BfrOptions), foreign.Message);
        Assert.Null(network.dwconv.Reparameterization);
    }
}
