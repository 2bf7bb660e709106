using Pipeline.Core.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>Key renaming and strict shape/key checking when a foreign state_dict is imported into a backbone.</summary>
public sealed class StateDictImportTests(PluginCatalogFixture plugins) : IClassFixture<PluginCatalogFixture>
{
    private const string Backbone = "3d-ux-net";

    private ForeignStateDict Foreign(TemporaryFolder folder, Func<Dictionary<string, Tensor>, Dictionary<string, Tensor>> edit)
    {
        using var source = SmallBackbones.Build(plugins.Catalog, Backbone, seed: 9);
        var stateDict = edit(source.state_dict().ToDictionary(item => item.Key, item => item.Value.clone()));
        SafetensorsFile.Write(stateDict, folder.File("foreign.safetensors"));
        return ForeignStateDict.Read(folder.File("foreign.safetensors"));
    }

    private void AssertImportsExactly(ForeignStateDict foreign, StateDictKeyMapping mapping, Func<string, string> keyInFile)
    {
        var (network, description) = CheckpointConversion.Import(plugins.Catalog, Backbone, SmallBackbones.Options(Backbone), foreign, mapping);
        using (network)
        {
            Assert.Equal("none", description.Prior);
            Assert.True(description.PriorFolded);
            foreach (var (key, value) in network.state_dict())
                Assert.True(BitwiseTensor.Equal(value, foreign.Tensors[keyInFile(key)]), $"{key} was not imported.");
        }
    }

    [Fact]
    public void ADataParallelModulePrefixIsRemoved()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var foreign = Foreign(folder, map => map.ToDictionary(item => "module." + item.Key, item => item.Value));

        AssertImportsExactly(foreign, StateDictKeyMapping.Default, key => "module." + key);
    }

    [Fact]
    public void ExplicitPrefixesAreStrippedAndAdded()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        // Keys "net.encoder1..." : strip "net." then the model's keys remain; adding and stripping the same prefix is a no-op.
        var foreign = Foreign(folder, map => map.ToDictionary(item => "net." + item.Key, item => item.Value));

        AssertImportsExactly(foreign, new StateDictKeyMapping(StripPrefix: "net."), key => "net." + key);
        AssertImportsExactly(foreign, new StateDictKeyMapping(StripPrefix: "net.", AddPrefix: ""), key => "net." + key);
    }

    [Fact]
    public void AWrongShapeFailsNamingTheKeyAndBothShapes()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        string key = "out.conv.conv.weight";
        var foreign = Foreign(folder, map =>
        {
            Assert.True(map.ContainsKey(key), $"the small network has no '{key}': {string.Join(", ", map.Keys)}");
            map[key] = zeros(new long[] { 3, 4, 1, 1, 1 });
            return map;
        });

        var error = Assert.Throws<InvalidDataException>(() =>
            CheckpointConversion.Import(plugins.Catalog, Backbone, SmallBackbones.Options(Backbone), foreign, StateDictKeyMapping.Default));

        Assert.Contains("foreign.safetensors", error.Message);
        Assert.Contains($"{key}: model expects [2, 4, 1, 1, 1], file has [3, 4, 1, 1, 1]", error.Message);
    }

    [Fact]
    public void MissingAndUnexpectedKeysAreListed()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var foreign = Foreign(folder, map =>
        {
            map.Remove("out.conv.conv.bias");
            map["head.extra.weight"] = ones(2);
            return map;
        });

        var error = Assert.Throws<InvalidDataException>(() =>
            CheckpointConversion.Import(plugins.Catalog, Backbone, SmallBackbones.Options(Backbone), foreign, StateDictKeyMapping.Default));

        Assert.Contains("1 missing key(s)", error.Message);
        Assert.Contains("out.conv.conv.bias [2]", error.Message);
        Assert.Contains("1 unexpected key(s)", error.Message);
        Assert.Contains("head.extra.weight [2]", error.Message);
    }

    [Fact]
    public void KeysThatCollideAfterRenamingAreReported()
    {
        using var scope = NewDisposeScope();
        var map = new Dictionary<string, Tensor> { ["a.w"] = ones(1), ["b.a.w"] = ones(1) };
        var error = Assert.Throws<InvalidDataException>(() => new StateDictKeyMapping(StripPrefix: "b.").Apply(map, "f.pt"));
        Assert.Contains("'a.w' and 'b.a.w' both become 'a.w'", error.Message);
    }
}
