using System.Diagnostics;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Nn;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Priors.Bfr;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Parity;

/// <summary>
/// Number-by-number parity of <c>repux-net</c> (+ the <c>bfr</c> prior) with the original PyTorch <c>REPUXNET</c>,
/// for every fixture folder whose config.json names that class, with weights from the raw bundle and, separately, from
/// the torch.save file:
/// <list type="bullet">
/// <item><c>output.deploy.eval</c>: no prior (the original with deploy=True), eval().</item>
/// <item><c>output.eval.call1</c>, <c>reparam_kernel.call1.&lt;key&gt;</c>, <c>output.eval.call2</c>: bfr official mode,
/// first and second eval() call on one module (kernels W₀·BFM, then W₀·BFM²).</item>
/// <item><c>features.eval.call1.i</c>: the encoder outputs of a first official-mode eval() call.</item>
/// <item><c>output.train.call1</c> and <c>after_train_call1.&lt;buffer&gt;</c>: first official-mode train() call and the
/// BatchNorm running statistics it leaves.</item>
/// <item><c>bfm</c>, <c>bfm.ks21.a1</c>: the Bayesian frequency matrices.</item>
/// <item>bfr reparam mode: every eval() call, and the folded network, give <c>output.eval.call1</c> (W₀·BFM, not
/// cumulative), and folding leaves exactly the original's keys and shapes.</item>
/// </list>
/// Every forward runs under no_grad, as the references were made. Tolerance: max|Δ| ≤ 1e-4·max(1, max|ref|).
/// </summary>
[Trait("Category", "Parity")]
public sealed class RepUxNet3DParityTests(ITestOutputHelper log)
{
    /// <summary>Where a test takes the fixture's weights from.</summary>
    public enum WeightSource
    {
        /// <summary><c>state_dict.json</c> + <c>state_dict.bin</c>.</summary>
        RawBundle,
        /// <summary><c>state_dict.pt</c>.</summary>
        TorchSave,
    }

    /// <summary>(fixture folder, weight source) rows, or the "none found" marker, which fails.</summary>
    public static IEnumerable<object[]> FixturesAndSources() =>
        ParityFixtures.FoldersOfClassOrMarker(RepUxNetFixture.FixtureClass)
            .SelectMany(row => new[] { new[] { row[0], WeightSource.RawBundle }, new[] { row[0], WeightSource.TorchSave } });

    /// <summary>Fixture folders, or the "none found" marker, which fails.</summary>
    public static IEnumerable<object[]> Fixtures() => ParityFixtures.FoldersOfClassOrMarker(RepUxNetFixture.FixtureClass);

    [Fact]
    public void FixtureRootExistsAndHoldsRepUxNetFixtures()
    {
        if (ParityFixtures.RootProblem is { } problem) Assert.Fail(problem);
        Assert.True(ParityFixtures.FoldersOfClass(RepUxNetFixture.FixtureClass).Count > 0,
            $"No fixture folder under '{ParityFixtures.Root}' has a config.json with \"class\": \"{RepUxNetFixture.FixtureClass}\".");
    }

    [Theory]
    [MemberData(nameof(FixturesAndSources))]
    public void DeployNetworkMatchesTheOriginalWithDeployTrue(string fixture, WeightSource source)
    {
        var (repux, references) = Open(fixture);
        using var scope = NewDisposeScope();
        using var network = Build(repux, source);
        network.eval();
        using (no_grad())
            Check(repux, source, "output.deploy.eval", network.call(references.Read("input")), references);
    }

    [Theory]
    [MemberData(nameof(FixturesAndSources))]
    public void OfficialModeEvalCallsCompoundTheFrequencyMatrix(string fixture, WeightSource source)
    {
        var (repux, references) = Open(fixture);
        var kernelNames = references.Names.Where(name => name.StartsWith(KernelPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(kernelNames.Count > 0, $"'{repux.TensorsIndex}' has no '{KernelPrefix}<key>' tensor.");
        using var scope = NewDisposeScope();
        using var network = Build(repux, source);
        ApplyBfr(network, repux, BfrMode.Official);
        network.eval();
        var input = references.Read("input");
        using (no_grad())
        {
            Check(repux, source, "output.eval.call1", network.call(input), references);
            var state = network.state_dict();
            foreach (var name in kernelNames)
            {
                string key = name[KernelPrefix.Length..];
                Assert.True(state.ContainsKey(key), $"{repux.Name}: '{name}' names '{key}', which the network does not have.");
                Check(repux, source, name, state[key], references);
            }
            Check(repux, source, "output.eval.call2", network.call(input), references);
        }
    }

    [Theory]
    [MemberData(nameof(FixturesAndSources))]
    public void OfficialModeFirstCallEncoderFeaturesMatch(string fixture, WeightSource source)
    {
        var (repux, references) = Open(fixture);
        var featureNames = references.Names.Where(name => name.StartsWith(FeaturePrefix, StringComparison.Ordinal)).ToList();
        using var scope = NewDisposeScope();
        using var network = Build(repux, source);
        ApplyBfr(network, repux, BfrMode.Official);
        network.eval();
        IReadOnlyList<Tensor> features;
        using (no_grad())
            features = network.EncoderFeatures(references.Read("input"));
        Assert.True(featureNames.Count == features.Count,
            $"{repux.Name}: the reference has {featureNames.Count} first-call features ({string.Join(", ", featureNames)}), the network gives {features.Count}.");
        for (int i = 0; i < features.Count; i++)
            Check(repux, source, $"{FeaturePrefix}{i}", features[i], references);
    }

    [Theory]
    [MemberData(nameof(FixturesAndSources))]
    public void OfficialModeTrainCallMatchesIncludingRunningStatistics(string fixture, WeightSource source)
    {
        var (repux, references) = Open(fixture);
        var statNames = references.Names.Where(name => name.StartsWith(AfterTrainPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(statNames.Count > 0, $"'{repux.TensorsIndex}' has no '{AfterTrainPrefix}<buffer>' tensor.");
        using var scope = NewDisposeScope();
        using var network = Build(repux, source);
        ApplyBfr(network, repux, BfrMode.Official);
        network.train();
        using (no_grad())
            Check(repux, source, "output.train.call1", network.call(references.Read("input")), references);
        var state = network.state_dict();
        foreach (var name in statNames)
        {
            string key = name[AfterTrainPrefix.Length..];
            Assert.True(state.ContainsKey(key), $"{repux.Name}: '{name}' names '{key}', which the network does not have.");
            Check(repux, source, name, state[key], references);
        }
    }

    [Theory]
    [MemberData(nameof(FixturesAndSources))]
    public void ReparamModeGivesTheFirstCallOnEveryCallAndFoldsToTheOriginalKeys(string fixture, WeightSource source)
    {
        var (repux, references) = Open(fixture);
        using var scope = NewDisposeScope();
        using var network = Build(repux, source);
        var prior = new BfrPrior();
        int layers = prior.Apply(network, new BfrOptions { Alpha = repux.Alpha, MinKernelSize = repux.KernelSize });
        Assert.Equal(repux.Options.Depths.Sum(), layers);
        network.eval();
        var input = references.Read("input");
        using (no_grad())
        {
            Check(repux, source, "output.eval.call1", network.call(input), references, "reparam call 1");
            Check(repux, source, "output.eval.call1", network.call(input), references, "reparam call 2");
            prior.Fold(network);
            Check(repux, source, "output.eval.call1", network.call(input), references, "reparam folded");
        }
        var expectedKeys = File.ReadAllLines(repux.KeysFile).Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t')).Select(fields => $"{fields[0]} {fields[1]}").Order(StringComparer.Ordinal);
        var actualKeys = network.state_dict().Select(entry => $"{entry.Key} [{string.Join(", ", entry.Value.shape)}]").Order(StringComparer.Ordinal);
        Assert.Equal(expectedKeys, actualKeys);
        Assert.Empty(network.modules().OfType<KernelReparameterization>());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void BayesianFrequencyMatricesMatch(string fixture)
    {
        var (repux, references) = Open(fixture);
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        double error = TensorComparison.AssertClose($"{repux.Name}/bfm", BayesianFrequencyMatrix.Create(repux.KernelSize, repux.Alpha), references.Read("bfm"));
        log.WriteLine($"{repux.Name}: bfm (ks {repux.KernelSize}, a {repux.Alpha}) max|Δ| = {error:G3}");
        error = TensorComparison.AssertClose($"{repux.Name}/bfm.ks21.a1", BayesianFrequencyMatrix.Create(21, 1), references.Read("bfm.ks21.a1"));
        log.WriteLine($"{repux.Name}: bfm.ks21.a1 max|Δ| = {error:G3} ({clock.Elapsed.TotalSeconds:F2} s)");
    }

    private const string KernelPrefix = "reparam_kernel.call1.";
    private const string FeaturePrefix = "features.eval.call1.";
    private const string AfterTrainPrefix = "after_train_call1.";

    private static (RepUxNetFixture Fixture, RawTensorBundle References) Open(string fixture)
    {
        var repux = RepUxNetFixture.Load(ParityFixtures.RequireFolder(fixture, RepUxNetFixture.FixtureClass));
        return (repux, RawTensorBundle.Open(repux.TensorsIndex));
    }

    private static SegmentationNetwork Build(RepUxNetFixture repux, WeightSource source)
    {
        var network = new RepUxNet3DBackbone().Build(repux.Options);
        var weights = source == WeightSource.RawBundle
            ? RawTensorBundle.Open(repux.RawWeightsIndex).ReadAll()
            : PyTorchStateDictReader.Read(repux.TorchSaveWeights);
        StateDictLoader.LoadStrict(network, weights, source == WeightSource.RawBundle ? repux.RawWeightsIndex : repux.TorchSaveWeights);
        return network;
    }

    private static void ApplyBfr(SegmentationNetwork network, RepUxNetFixture repux, BfrMode mode)
    {
        int layers = new BfrPrior().Apply(network, new BfrOptions { Alpha = repux.Alpha, Mode = mode, MinKernelSize = repux.KernelSize });
        Assert.Equal(repux.Options.Depths.Sum(), layers);
    }

    private void Check(RepUxNetFixture repux, WeightSource source, string name, Tensor actual, RawTensorBundle references, string? label = null)
    {
        Assert.True(references.Contains(name), $"'{repux.TensorsIndex}' has no '{name}'.");
        var expected = references.Read(name);
        // PyTorch's scalar buffers (num_batches_tracked) may come back as [1]; one element is one element.
        if (actual.numel() == 1 && expected.numel() == 1) actual = actual.reshape(expected.shape);
        double error = TensorComparison.AssertClose($"{repux.Name}/{name}{(label is null ? "" : $" ({label})")}", actual, expected);
        log.WriteLine($"{repux.Name} [{source}] {name}{(label is null ? "" : $" ({label})")}: max|Δ| = {error:G3}");
    }
}
