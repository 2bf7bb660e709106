using Pipeline.Core.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>C# → .pt → C# and C# → safetensors → C#: the same keys and bitwise equal tensors.</summary>
public sealed class ExportRoundTripTests(PluginCatalogFixture plugins) : IClassFixture<PluginCatalogFixture>
{
    public static IEnumerable<object[]> Cases() =>
        SmallBackbones.Names.SelectMany(row => new[]
        {
            new[] { row[0], CheckpointFormat.TorchStateDict },
            new[] { row[0], CheckpointFormat.Safetensors },
        });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedWeightsReadBackBitwiseEqual(string backbone, CheckpointFormat format)
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        using var source = SmallBackbones.Build(plugins.Catalog, backbone, seed: 5);
        string file = folder.File(format == CheckpointFormat.Safetensors ? "weights.safetensors" : "weights.pt");

        CheckpointConversion.Export(source, format, file);
        var read = ForeignStateDict.Read(file);

        Assert.Equal(format, read.Format);
        var expected = source.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), read.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            var back = read.Tensors[key];
            Assert.Equal(value.dtype, back.dtype);
            Assert.True(BitwiseTensor.Equal(back, value), $"{key} differs after the {format} round trip.");
        }

        using var target = SmallBackbones.Build(plugins.Catalog, backbone, seed: 6);
        StateDictLoader.LoadStrict(target, read.Tensors, file);
        foreach (var (key, value) in target.state_dict())
            Assert.True(BitwiseTensor.Equal(value, expected[key]), $"{key} differs after loading the {format} file.");
    }
}
