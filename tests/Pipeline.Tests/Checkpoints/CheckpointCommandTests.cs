using System.Text.Json;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Engine;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Priors.Bfr;
using Pipeline.Tests.Cli;
using Pipeline.Tests.Parity;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>The <c>checkpoint inspect|import|export|fold</c> commands end to end, in-process.</summary>
public sealed class CheckpointCommandTests(PluginCatalogFixture plugins) : IClassFixture<PluginCatalogFixture>
{
    [Theory]
    [MemberData(nameof(SmallBackbones.Names), MemberType = typeof(SmallBackbones))]
    public async Task ImportInspectAndExportRoundTripThroughTheCli(string backbone)
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        using var source = SmallBackbones.Build(plugins.Catalog, backbone, seed: 11);
        var expected = source.state_dict();
        // A DataParallel-style nested training checkpoint: {"state_dict": {"module.<key>": ...}, "epoch": 3}.
        PyTorchStateDictWriter.Write(expected.Select(item => KeyValuePair.Create("module." + item.Key, item.Value)), folder.File("flat.pt"));
        TorchSaveRewriter.NestUnderStateDict(folder.File("flat.pt"), folder.File("trained.pt"), epoch: 3);

        var inspectForeign = await CliRunner.RunAsync("checkpoint", "inspect", folder.File("trained.pt"), "--limit", "2");
        Assert.True(inspectForeign.ExitCode == 0, inspectForeign.Error);
        Assert.Contains("nested state_dict", inspectForeign.Out);
        Assert.Contains($"entries    {expected.Count}", inspectForeign.Out);

        var import = await CliRunner.RunAsync(
            ["checkpoint", "import", folder.File("trained.pt"), "--backbone", backbone, .. SmallBackbones.SetArguments(backbone), "--out", folder.File("model.ckpt")]);
        Assert.True(import.ExitCode == 0, import.Error);

        var inspect = await CliRunner.RunAsync("checkpoint", "inspect", folder.File("model.ckpt"), "--json");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        using (var json = JsonDocument.Parse(inspect.Out))
        {
            var root = json.RootElement;
            Assert.Equal("pipeline .ckpt", root.GetProperty("format").GetString());
            Assert.Equal(backbone, root.GetProperty("description").GetProperty("backbone").GetString());
            Assert.True(root.GetProperty("description").GetProperty("prior_folded").GetBoolean());
            Assert.Equal(expected.Count, root.GetProperty("entries").GetInt32());
            Assert.Equal(expected.Values.Sum(value => value.numel()), root.GetProperty("elements").GetInt64());
            var first = root.GetProperty("tensors")[0];
            Assert.Equal(expected.First().Key, first.GetProperty("key").GetString());
            Assert.Equal("float32", first.GetProperty("dtype").GetString());
        }

        foreach (var (format, file) in new[] { ("pt", "out.pt"), ("safetensors", "out.safetensors") })
        {
            var export = await CliRunner.RunAsync("checkpoint", "export", folder.File("model.ckpt"), "--format", format, "--out", folder.File(file));
            Assert.True(export.ExitCode == 0, export.Error);
            var exported = ForeignStateDict.Read(folder.File(file)).Tensors;
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), exported.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, value) in expected)
                Assert.True(BitwiseTensor.Equal(exported[key], value), $"{format}: {key} differs.");
        }
    }

    [Fact]
    public async Task ImportWithTheWrongOptionsFailsNamingTheFileAndTheKeys()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        using var source = SmallBackbones.Build(plugins.Catalog, "3d-ux-net", seed: 12);
        SafetensorsFile.Write(source.state_dict(), folder.File("w.safetensors"));

        var result = await CliRunner.RunAsync(
            ["checkpoint", "import", folder.File("w.safetensors"), "--backbone", "3d-ux-net", .. SmallBackbones.SetArguments("3d-ux-net"),
             "--set", "out_channels=5", "--out", folder.File("model.ckpt")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("w.safetensors", result.Error);
        Assert.Contains("out.conv.conv.weight: model expects [5, 4, 1, 1, 1], file has [2, 4, 1, 1, 1]", result.Error);
        Assert.False(File.Exists(folder.File("model.ckpt")));
    }

    [Fact]
    public async Task ExportRejectsAForeignFileAndAnUnknownFormat()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        SafetensorsFile.Write(new Dictionary<string, Tensor> { ["w"] = ones(1) }, folder.File("w.safetensors"));

        var foreign = await CliRunner.RunAsync("checkpoint", "export", folder.File("w.safetensors"), "--format", "pt", "--out", folder.File("o.pt"));
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("a pipeline .ckpt was expected", foreign.Error);

        var badFormat = await CliRunner.RunAsync("checkpoint", "export", folder.File("w.safetensors"), "--format", "onnx", "--out", folder.File("o.onnx"));
        Assert.Equal(2, badFormat.ExitCode);
        Assert.Contains("--format must be pt or safetensors", badFormat.Error);
    }

    [Fact]
    public async Task FoldingABfrReparamCheckpointKeepsItsOutputs()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var options = (RepUxNet3DOptions)SmallBackbones.Options("repux-net");
        var factory = new ModelFactory(plugins.Catalog, "repux-net", options, "bfr", new BfrOptions { Mode = BfrMode.Reparam }, CPU);
        using var unfolded = factory.Create();
        unfolded.eval();
        factory.Save(unfolded, folder.File("bfr.ckpt"));
        var input = SmallBackbones.Input(16, seed: 13);
        Tensor expected;
        using (no_grad()) expected = unfolded.call(input);

        var fold = await CliRunner.RunAsync("checkpoint", "fold", folder.File("bfr.ckpt"), "--out", folder.File("folded.ckpt"));
        Assert.True(fold.ExitCode == 0, fold.Error);
        Assert.Contains("folded prior 'bfr'", fold.Out);

        using var folded = ModelFactory.LoadCheckpoint(plugins.Catalog, folder.File("folded.ckpt"), CPU, out var description);
        folded.eval();
        Assert.True(description.PriorFolded);
        Assert.Equal("bfr", description.Prior);
        Tensor actual;
        using (no_grad()) actual = folded.call(input);
        double error = (actual - expected).abs().max().item<float>();
        Assert.True(error <= 1e-5, $"folded output differs from the unfolded one by {error:G3}.");

        // The folded keys are the original model's deploy keys: export of the unfolded file gives the same set.
        var export = await CliRunner.RunAsync("checkpoint", "export", folder.File("bfr.ckpt"), "--format", "safetensors", "--out", folder.File("deploy.safetensors"));
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("prior folded first", export.Out);
        Assert.Equal(folded.state_dict().Keys.Order(StringComparer.Ordinal),
            ForeignStateDict.Read(folder.File("deploy.safetensors")).Tensors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Category", "Parity")]
    public async Task InspectReportsTheFixtureStateDict()
    {
        var folders = ParityFixtures.RootProblem is null ? ParityFixtures.FoldersOfClass(RepUxNetFixture.FixtureClass) : [];
        var fixture = RepUxNetFixture.Load(ParityFixtures.RequireFolder(folders.FirstOrDefault() ?? ParityFixtures.NoFixturesMarker, RepUxNetFixture.FixtureClass));
        int keys = File.ReadAllLines(fixture.KeysFile).Count(line => line.Length > 0 && !line.StartsWith('#'));

        var result = await CliRunner.RunAsync("checkpoint", "inspect", fixture.TorchSaveWeights, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("torch.save state_dict (zip)", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(keys, json.RootElement.GetProperty("entries").GetInt32());
    }
}
