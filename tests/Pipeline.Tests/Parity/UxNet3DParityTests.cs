using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Nn;
using Pipeline.Plugins.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Parity;

/// <summary>
/// Number-by-number parity of <c>3d-ux-net</c> with the original PyTorch <c>UXNET</c>, for every fixture folder whose
/// config.json names that class: build from the config, load the fixture's weights (raw bundle, and separately the
/// torch.save file), run eval() under no_grad, and compare the output and every encoder feature.
/// </summary>
[Trait("Category", "Parity")]
public sealed partial class UxNet3DParityTests(ITestOutputHelper log)
{
    /// <summary>The fixtures' class name of the original model.</summary>
    public const string FixtureClass = "UXNET";

    /// <summary>Fixture folder names (or the "none found" marker, which fails).</summary>
    public static IEnumerable<object[]> Fixtures() => ParityFixtures.FoldersOfClassOrMarker(FixtureClass);

    [Fact]
    public void FixtureRootExistsAndHoldsUxNetFixtures()
    {
        if (ParityFixtures.RootProblem is { } problem) Assert.Fail(problem);
        Assert.True(ParityFixtures.FoldersOfClass(FixtureClass).Count > 0,
            $"No fixture folder under '{ParityFixtures.Root}' has a config.json with \"class\": \"{FixtureClass}\".");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MatchesReferenceWithRawBundleWeights(string fixture)
    {
        var uxnet = UxNetFixture.Load(ParityFixtures.RequireFolder(fixture, FixtureClass));
        using var scope = NewDisposeScope();
        CheckParity(uxnet, RawTensorBundle.Open(uxnet.RawWeightsIndex).ReadAll(), uxnet.RawWeightsIndex);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MatchesReferenceWithTorchSaveWeights(string fixture)
    {
        var uxnet = UxNetFixture.Load(ParityFixtures.RequireFolder(fixture, FixtureClass));
        using var scope = NewDisposeScope();
        CheckParity(uxnet, PyTorchStateDictReader.Read(uxnet.TorchSaveWeights), uxnet.TorchSaveWeights);
    }

    private void CheckParity(UxNetFixture uxnet, IReadOnlyDictionary<string, Tensor> weights, string weightsSource)
    {
        var clock = Stopwatch.StartNew();
        var references = RawTensorBundle.Open(uxnet.TensorsIndex);
        Assert.True(references.Contains("input"), $"'{uxnet.TensorsIndex}' has no 'input'.");
        Assert.True(references.Contains("output"), $"'{uxnet.TensorsIndex}' has no 'output'.");
        var featureNames = references.Names
            .Select(name => FeatureName().Match(name))
            .Where(match => match.Success)
            .OrderBy(match => int.Parse(match.Groups[1].Value))
            .Select(match => match.Value)
            .ToList();

        using var network = new UxNet3DBackbone().Build(uxnet.Options);
        StateDictLoader.LoadStrict(network, weights, weightsSource);
        network.eval();

        var input = references.Read("input");
        Tensor output;
        IReadOnlyList<Tensor> features;
        using (no_grad())
        {
            output = network.call(input);
            features = network.EncoderFeatures(input);
        }

        double outputError = TensorComparison.AssertClose($"{uxnet.Name}/output", output, references.Read("output"));
        log.WriteLine($"{uxnet.Name} ({Path.GetFileName(weightsSource)}): output max|Δ| = {outputError:G3}");
        Assert.True(featureNames.Count == features.Count,
            $"{uxnet.Name}: the reference has {featureNames.Count} encoder features ({string.Join(", ", featureNames)}), the network gives {features.Count}.");
        for (int i = 0; i < features.Count; i++)
        {
            Assert.Equal($"features.{i}", featureNames[i]);
            double error = TensorComparison.AssertClose($"{uxnet.Name}/features.{i}", features[i], references.Read(featureNames[i]));
            log.WriteLine($"{uxnet.Name} ({Path.GetFileName(weightsSource)}): features.{i} max|Δ| = {error:G3}");
        }
        log.WriteLine($"{uxnet.Name} ({Path.GetFileName(weightsSource)}): {clock.Elapsed.TotalSeconds:F2} s");
    }

    [GeneratedRegex(@"^features\.(\d+)$")]
    private static partial Regex FeatureName();
}
