using Pipeline.Core.Checkpoints;
using Pipeline.Core.Engine;
using Pipeline.Tests.Parity;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>
/// The fixtures' <c>state_dict.pt</c> (written by the original PyTorch code) → import into a pipeline .ckpt → reload
/// → forward: equals the fixture's output within 1e-4·max(1, max|ref|). For RepUX-Net the imported weights are deploy
/// weights, so the reference is <c>output.deploy.eval</c>. For SwinUNETR the checkpoint also carries the int64
/// <c>relative_position_index</c> buffers.
/// </summary>
[Trait("Category", "Parity")]
public sealed class FixtureImportParityTests(PluginCatalogFixture plugins, ITestOutputHelper log) : IClassFixture<PluginCatalogFixture>
{
    public static IEnumerable<object[]> UxNetFixtures() => ParityFixtures.FoldersOfClassOrMarker(UxNet3DParityTests.FixtureClass);

    public static IEnumerable<object[]> RepUxNetFixtures() => ParityFixtures.FoldersOfClassOrMarker(RepUxNetFixture.FixtureClass);

    public static IEnumerable<object[]> SwinUnetrFixtures() => ParityFixtures.FoldersOfClassOrMarker(SwinUnetrFixture.FixtureClass);

    [Theory]
    [MemberData(nameof(UxNetFixtures))]
    public void ImportedUxNetMatchesTheOriginal(string fixture)
    {
        var uxnet = UxNetFixture.Load(ParityFixtures.RequireFolder(fixture, UxNet3DParityTests.FixtureClass));
        Check(uxnet.Name, "3d-ux-net", uxnet.Options, uxnet.TorchSaveWeights, uxnet.TensorsIndex, "output");
    }

    [Theory]
    [MemberData(nameof(RepUxNetFixtures))]
    public void ImportedRepUxNetMatchesTheOriginalDeployModel(string fixture)
    {
        var repux = RepUxNetFixture.Load(ParityFixtures.RequireFolder(fixture, RepUxNetFixture.FixtureClass));
        Check(repux.Name, "repux-net", repux.Options, repux.TorchSaveWeights, repux.TensorsIndex, "output.deploy.eval");
    }

    [Theory]
    [MemberData(nameof(SwinUnetrFixtures))]
    public void ImportedSwinUnetrMatchesMonai(string fixture)
    {
        var swin = SwinUnetrFixture.Load(ParityFixtures.RequireFolder(fixture, SwinUnetrFixture.FixtureClass));
        Check(swin.Name, "swin-unetr", swin.Options, swin.TorchSaveWeights, swin.TensorsIndex, "output");
    }

    private void Check(string name, string backbone, object options, string weights, string tensorsIndex, string outputName)
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var source = ForeignStateDict.Read(weights);
        Assert.Equal(CheckpointFormat.TorchStateDict, source.Format);
        var (imported, description) = CheckpointConversion.Import(plugins.Catalog, backbone, options, source, StateDictKeyMapping.Default);
        using (imported) ModelCheckpoint.Save(imported, description, folder.File("imported.ckpt"));

        using var network = ModelFactory.LoadCheckpoint(plugins.Catalog, folder.File("imported.ckpt"), CPU, out var reloaded);
        network.eval();
        Assert.Equal("none", reloaded.Prior);
        Assert.True(reloaded.PriorFolded);
        var references = RawTensorBundle.Open(tensorsIndex);
        Tensor output;
        using (no_grad()) output = network.call(references.Read("input"));

        double error = TensorComparison.AssertClose($"{name}/{outputName}", output, references.Read(outputName));
        log.WriteLine($"{name}: imported state_dict.pt, {outputName} max|Δ| = {error:G3}");
    }
}
