using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.Core.Checkpoints;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Models.Nets;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Parity;

/// <summary>
/// Number-by-number parity of <c>swin-unetr</c> with MONAI's <c>SwinUNETR</c>, for every fixture folder whose
/// config.json names that class, with its own channels, batch and input shape: build from the config, load the
/// fixture's weights (raw bundle, and separately the torch.save file), run eval() under no_grad, and compare the
/// output and the five hidden states of <c>swinViT(x, normalize=True)</c>. The fused attention path is checked with
/// both weight files and MONAI's explicit sequence once more with the raw bundle.
/// </summary>
[Trait("Category", "Parity")]
public sealed partial class SwinUnetrParityTests(ITestOutputHelper log)
{
    /// <summary>Fixture folder names (or the "none found" marker, which fails).</summary>
    public static IEnumerable<object[]> Fixtures() => ParityFixtures.FoldersOfClassOrMarker(SwinUnetrFixture.FixtureClass);

    [Fact]
    public void FixtureRootExistsAndHoldsSwinUnetrFixtures()
    {
        if (ParityFixtures.RootProblem is { } problem) Assert.Fail(problem);
        Assert.True(ParityFixtures.FoldersOfClass(SwinUnetrFixture.FixtureClass).Count > 0,
            $"No fixture folder under '{ParityFixtures.Root}' has a config.json with \"class\": \"{SwinUnetrFixture.FixtureClass}\".");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MatchesReferenceWithRawBundleWeights(string fixture)
    {
        var swin = SwinUnetrFixture.Load(ParityFixtures.RequireFolder(fixture, SwinUnetrFixture.FixtureClass));
        using var scope = NewDisposeScope();
        CheckParity(swin, RawTensorBundle.Open(swin.RawWeightsIndex).ReadAll(), swin.RawWeightsIndex, WindowAttentionPath.ScaledDotProduct);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MatchesReferenceWithTorchSaveWeights(string fixture)
    {
        var swin = SwinUnetrFixture.Load(ParityFixtures.RequireFolder(fixture, SwinUnetrFixture.FixtureClass));
        using var scope = NewDisposeScope();
        CheckParity(swin, PyTorchStateDictReader.Read(swin.TorchSaveWeights), swin.TorchSaveWeights, WindowAttentionPath.ScaledDotProduct);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MatchesReferenceWithExplicitAttention(string fixture)
    {
        var swin = SwinUnetrFixture.Load(ParityFixtures.RequireFolder(fixture, SwinUnetrFixture.FixtureClass));
        using var scope = NewDisposeScope();
        CheckParity(swin, RawTensorBundle.Open(swin.RawWeightsIndex).ReadAll(), swin.RawWeightsIndex, WindowAttentionPath.Explicit);
    }

    private void CheckParity(SwinUnetrFixture swin, IReadOnlyDictionary<string, Tensor> weights, string weightsSource, WindowAttentionPath path)
    {
        var clock = Stopwatch.StartNew();
        string label = $"{swin.Name} ({Path.GetFileName(weightsSource)}, {path}, MONAI {swin.MonaiVersion} → {swin.Options.Downsample})";
        var references = RawTensorBundle.Open(swin.TensorsIndex);
        Assert.True(references.Contains("input"), $"'{swin.TensorsIndex}' has no 'input'.");
        Assert.True(references.Contains("output"), $"'{swin.TensorsIndex}' has no 'output'.");
        var featureNames = references.Names
            .Select(name => FeatureName().Match(name))
            .Where(match => match.Success)
            .OrderBy(match => int.Parse(match.Groups[1].Value))
            .Select(match => match.Value)
            .ToList();

        swin.Options.AttentionPath = path;
        using var network = (SwinUnetr)new SwinUnetrBackbone().Build(swin.Options);
        StateDictLoader.LoadStrict(network, weights, weightsSource);
        network.eval();

        var input = references.Read("input");
        Tensor output;
        IReadOnlyList<Tensor> features;
        using (no_grad())
        {
            output = network.call(input);
            features = network.swinViT.call(input, true);
        }

        double outputError = TensorComparison.AssertClose($"{swin.Name}/output", output, references.Read("output"));
        log.WriteLine($"{label}: output max|Δ| = {outputError:G3}");
        Assert.True(featureNames.Count == features.Count,
            $"{swin.Name}: the reference has {featureNames.Count} hidden states ({string.Join(", ", featureNames)}), the network gives {features.Count}.");
        for (int i = 0; i < features.Count; i++)
        {
            Assert.Equal($"features.{i}", featureNames[i]);
            double error = TensorComparison.AssertClose($"{swin.Name}/features.{i}", features[i], references.Read(featureNames[i]));
            log.WriteLine($"{label}: features.{i} max|Δ| = {error:G3}");
        }
        log.WriteLine($"{label}: {clock.Elapsed.TotalSeconds:F2} s");
    }

    [GeneratedRegex(@"^features\.(\d+)$")]
    private static partial Regex FeatureName();
}
