using Pipeline.Core.Nn;
using Pipeline.Core.Training;
using Pipeline.Plugins.Datasets.Synthetic;
using Pipeline.Plugins.Models.Nets;
using Pipeline.Plugins.Priors.Bfr;
using Pipeline.Plugins.Priors.Diagnostics;
using Pipeline.Tests.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Kernels;

/// <summary>
/// Trains the same small RepUX-Net (k = 21, FFT path) for 50 AdamW steps on synthetic phantoms in BFR reparam and
/// official mode, from identical initial weights, and checks what happens to the large kernels' off-centre taps.
/// Runs in the training collection because it uses both cores for a while.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public sealed class BfrKernelTrainingTests(ITestOutputHelper log)
{
    private const int KernelSize = 21;
    private const int Steps = 50;
    private const double LearningRate = 1e-3;

    /// <summary>
    /// Threshold on ‖K₅₀ − K₀‖ / ‖K₀‖ over the taps outside the centre 3³. AdamW moves every latent tap by up to about
    /// lr = 1e-3 per step, i.e. up to 0.05 in 50 steps, against an initial scale of 1/√21³ ≈ 0.01; a trained kernel
    /// therefore changes by a large fraction of its norm (the diagnostics measure ~6× on a regression task). Weight
    /// decay alone would change it by lr·wd·50 = 5e-4 relative and float rounding by ~1e-7, so 0.25 separates "the
    /// optimizer trained these taps" from both by orders of magnitude.
    /// </summary>
    private const double MinimumRelativeChange = 0.25;

    /// <summary>
    /// Training patch edge. With 16³ patches the four encoder stages see 8³, 4³, 2³ and 1³ maps: only in the first
    /// two can a tap outside the centre 3³ touch the input (a tap at offset o needs a map wider than |o|), so only
    /// those get gradients there; in the last two such taps change by weight decay alone.
    /// </summary>
    private const int PatchEdge = 16;

    /// <summary>Encoder stages (in module order) whose maps are wider than 2, so taps outside the centre 3³ get gradients.</summary>
    private const int StagesWithReachableOffCentreTaps = 2;

    /// <summary>Largest relative change of unreachable taps: weight decay moves them by lr·wd·steps = 5e-4.</summary>
    private const double MaximumDecayOnlyChange = 1e-2;

    [Fact]
    public void ReparamTrainsOffCentreTapsWhileOfficialCollapsesThem()
    {
        using var template = SmallNetwork();
        using var initial = LargeKernels(template);

        using var reparam = Train(template, BfrMode.Reparam, out int reparamCalls);
        using var official = Train(template, BfrMode.Official, out int officialCalls);
        Assert.Equal(Steps, reparamCalls);
        Assert.Equal(Steps, officialCalls);

        using var bfm = BayesianFrequencyMatrix.Create(KernelSize, 1).to_type(ScalarType.Float64);
        var reparamKernels = NetworkKernelDiagnostics.OwnLayers(reparam).Where(e => e.Layer.KernelSize == KernelSize).ToList();
        var officialKernels = NetworkKernelDiagnostics.OwnLayers(official).Where(e => e.Layer.KernelSize == KernelSize).ToList();
        Assert.Equal(4, reparamKernels.Count);
        Assert.Equal(4, officialKernels.Count);

        for (int i = 0; i < reparamKernels.Count; i++)
        {
            using var scope = NewDisposeScope();
            var start = initial[i].to_type(ScalarType.Float64);

            // Reparam: the effective kernel W ⊙ BFM has moved away from W₀ ⊙ BFM outside the centre, and still
            // carries most of its energy there.
            var reparamKernel = EffectiveKernel.Of(reparamKernels[i].Layer).to_type(ScalarType.Float64);
            var startEffective = start * bfm;
            double change = (OutsideCentre(reparamKernel) - OutsideCentre(startEffective)).norm().item<double>()
                            / OutsideCentre(startEffective).norm().item<double>();
            var reparamProfile = KernelProfile.Of(reparamKernel);

            // Official: the kernel is W₀ ⊙ BFMⁿ with n = the number of forward calls, and the energy outside the
            // centre 3³ has fallen by dozens of orders of magnitude (BFM ≤ 1/3 there, so energy shrinks by ≥ 9ⁿ).
            var officialKernel = EffectiveKernel.Of(officialKernels[i].Layer).to_type(ScalarType.Float64);
            var expected = start * bfm.pow(officialCalls);
            var officialProfile = KernelProfile.Of(officialKernel);
            var startProfile = KernelProfile.Of(start);
            double energyRatio = officialProfile.EnergyOutsideCentre / startProfile.EnergyOutsideCentre;

            log.WriteLine($"{reparamKernels[i].Name}: reparam relative change {change:G3}, fraction outside 3^3 {reparamProfile.EnergyFractionOutsideCentre:G3}; " +
                          $"official energy outside 3^3 {startProfile.EnergyOutsideCentre:G3} -> {officialProfile.EnergyOutsideCentre:G3} (ratio {energyRatio:G3}), " +
                          $"non-zero taps outside {officialProfile.NonZeroOffCentreTaps}/{officialProfile.OffCentreTaps}");

            if (i < StagesWithReachableOffCentreTaps)
                Assert.True(change > MinimumRelativeChange, $"{reparamKernels[i].Name}: reparam off-centre taps changed by only {change:G3} (relative).");
            else
                Assert.True(change < MaximumDecayOnlyChange, $"{reparamKernels[i].Name}: taps that never touch the input changed by {change:G3} (relative).");
            Assert.True(reparamProfile.EnergyFractionOutsideCentre > 0.5,
                $"{reparamKernels[i].Name}: reparam kernel lost its off-centre energy ({reparamProfile.EnergyFractionOutsideCentre:G3}).");
            Assert.True(energyRatio < 1e-30, $"{officialKernels[i].Name}: official energy outside 3^3 only fell to {energyRatio:G3} of its start.");
            Assert.True(officialKernel.allclose(expected, rtol: 1e-4, atol: 1e-30),
                $"{officialKernels[i].Name}: official kernel is not W0 * BFM^{officialCalls}.");
        }
    }

    private static RepUxNet3D SmallNetwork() =>
        new(inChannels: 1, outChannels: 4, depths: [1, 1, 1, 1], featureSizes: [8, 16, 32, 64], hiddenSize: 64,
            kernelSize: KernelSize, headFollowsFeatureSize: true, depthwisePath: DepthwiseConvPath.Fft);

    /// <summary>A copy of <paramref name="template"/> with the BFR prior in <paramref name="mode"/>, trained for <see cref="Steps"/> steps.</summary>
    private static RepUxNet3D Train(RepUxNet3D template, BfrMode mode, out int forwardCalls)
    {
        var network = SmallNetwork();
        using (no_grad())
            foreach (var ((_, target), (_, source)) in network.named_parameters().Zip(template.named_parameters()))
                target.copy_(source);
        new BfrPrior().Apply(network, new BfrOptions { Mode = mode });

        var dataset = new SyntheticDataset(new SyntheticDatasetOptions { Cases = 2, ValidationCases = 1, Size = [24, 24, 24], Seed = 3 });
        using var cases = new CaseStore(dataset, dataset.Splits["train"], keepInMemory: true);
        using var sampler = new PatchSampler([PatchEdge, PatchEdge, PatchEdge], foregroundRatio: 0.5, seed: 11);
        using var optimizer = optim.AdamW(network.parameters().Where(p => p.requires_grad), LearningRate, weight_decay: 0.01);
        var loss = new DiceCeLoss();
        network.train();
        forwardCalls = 0;
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = sampler.SampleBatch(cases, 1);
            optimizer.zero_grad();
            loss.Compute(network.call(batch.Images), batch.Labels).Total.backward();
            forwardCalls++;
            optimizer.step();
        }
        return network;
    }

    /// <summary>Copies of the k = 21 kernels of <paramref name="network"/>, in module order.</summary>
    private static DisposableKernels LargeKernels(RepUxNet3D network) =>
        new(NetworkKernelDiagnostics.OwnLayers(network).Where(e => e.Layer.KernelSize == KernelSize).Select(e => e.Layer.weight.detach().clone()).ToList());

    /// <summary>The taps of a [C, 1, k, k, k] kernel outside its centre 3³, flattened.</summary>
    private static Tensor OutsideCentre(Tensor kernel)
    {
        long k = kernel.shape[^1];
        var reach = (arange(k) - k / 2).abs();
        var outside = reach.view(k, 1, 1).maximum(reach.view(1, k, 1)).maximum(reach.view(1, 1, k)) > 1;
        return kernel.reshape(-1, k, k, k).masked_select(outside.unsqueeze(0).expand(kernel.shape[0], k, k, k));
    }

    /// <summary>A list of tensors disposed together.</summary>
    private sealed class DisposableKernels(List<Tensor> kernels) : IDisposable
    {
        public Tensor this[int index] => kernels[index];

        public void Dispose() => kernels.ForEach(k => k.Dispose());
    }
}
