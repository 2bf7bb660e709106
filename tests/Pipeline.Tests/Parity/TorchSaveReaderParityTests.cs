using Pipeline.Core.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Parity;

/// <summary>
/// The two weight formats of every fixture (of any class) hold the same tensors: the torch.save reader and the raw
/// bundle reader agree key by key, shape by shape and bit for bit.
/// </summary>
[Trait("Category", "Parity")]
public sealed class TorchSaveReaderParityTests
{
    /// <summary>Every fixture folder with both weight files (or the "none found" marker, which fails).</summary>
    public static IEnumerable<object[]> Fixtures()
    {
        var folders = ParityFixtures.RootProblem is null
            ? Directory.EnumerateDirectories(ParityFixtures.Root)
                .Where(d => File.Exists(Path.Combine(d, "state_dict.pt")) && File.Exists(Path.Combine(d, "state_dict.json")))
                .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : new List<string?>();
        return folders.Count > 0 ? folders.Select(f => new object[] { f! }) : new[] { new object[] { ParityFixtures.NoFixturesMarker } };
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TorchSaveAndRawBundleHoldIdenticalTensors(string fixture)
    {
        if (fixture == ParityFixtures.NoFixturesMarker)
            Assert.Fail(ParityFixtures.RootProblem ?? $"No fixture folder under '{ParityFixtures.Root}' has state_dict.pt and state_dict.json.");
        var folder = Path.Combine(ParityFixtures.Root, fixture);
        using var scope = NewDisposeScope();
        var fromBundle = RawTensorBundle.Open(Path.Combine(folder, "state_dict.json")).ReadAll();
        var fromTorchSave = PyTorchStateDictReader.Read(Path.Combine(folder, "state_dict.pt"));

        Assert.Equal(fromBundle.Keys.Order(StringComparer.Ordinal), fromTorchSave.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, expected) in fromBundle)
        {
            var actual = fromTorchSave[key];
            Assert.True(expected.dtype == actual.dtype, $"{fixture}/{key}: dtype {actual.dtype} in the .pt, {expected.dtype} in the bundle.");
            Assert.True(expected.numel() == actual.numel() && (expected.shape.SequenceEqual(actual.shape) || expected.dim() == 0),
                $"{fixture}/{key}: shape [{string.Join(", ", actual.shape)}] in the .pt, [{string.Join(", ", expected.shape)}] in the bundle.");
            Assert.True(expected.reshape(actual.shape).equal(actual).all().item<bool>(), $"{fixture}/{key}: values differ.");
        }
    }
}
