using System.Diagnostics;
using System.Text.Json;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Tests.Parity;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary>
/// The default (paper) configuration of <c>swin-unetr</c> (feature_size 48) has exactly MONAI's parameter counts for
/// every class count listed under "swinunetr" in the fixtures' param_counts.json, and the state_dict keys, shapes,
/// element types and parameter/buffer kinds of keys_default_swinunetr.txt (including the int64
/// <c>relative_position_index</c> buffers).
/// </summary>
/// <remarks>
/// One default network is built for the class count of the keys file; the other counts swap only the head
/// (<c>out_channels</c> reaches nothing but <see cref="UnetOutBlock"/>), with each head actually built. The key
/// comparison covers every module outside <c>out.*</c>, so a dependency elsewhere would show up there.
/// </remarks>
public sealed class SwinUnetrParameterCountTests(ITestOutputHelper log)
{
    [Fact]
    public void DefaultConfigurationMatchesMonaiParameterCountsAndKeys()
    {
        var countsPath = ParityFixtures.RequireRootFile("param_counts.json");
        var keysPath = ParityFixtures.RequireRootFile("keys_default_swinunetr.txt");
        var expectedCounts = ReadCounts(countsPath);
        var (keysClassCount, expectedKeys) = ReadKeys(keysPath);
        Assert.Contains(keysClassCount, expectedCounts.Keys);
        Assert.Equal(62_186_855L, expectedCounts[5]);

        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var options = new SwinUnetrOptions { OutChannels = keysClassCount };
        Assert.Equal(48, options.FeatureSize);
        using var network = new SwinUnetrBackbone().Build(options);
        log.WriteLine($"Built the default network in {clock.Elapsed.TotalSeconds:F1} s.");

        var parameterNames = network.named_parameters().Select(p => p.name).ToHashSet();
        var actual = network.state_dict()
            .Select(entry => new KeyRow(entry.Key, Format(entry.Value.shape), DTypeName(entry.Value.dtype),
                parameterNames.Contains(entry.Key) ? "param" : "buffer"))
            .ToList();
        Assert.Equal(expectedKeys.Select(k => k.Key).Order(StringComparer.Ordinal), actual.Select(k => k.Key).Order(StringComparer.Ordinal));
        var expectedByKey = expectedKeys.ToDictionary(k => k.Key);
        foreach (var row in actual)
            Assert.True(expectedByKey[row.Key] == row, $"{row}: MONAI has {expectedByKey[row.Key]} ('{keysPath}').");

        long count = network.parameters().Sum(parameter => parameter.numel());
        long headCount = HeadParameters(keysClassCount);
        foreach (var (classes, expectedCount) in expectedCounts)
        {
            long countForClasses = count - headCount + HeadParameters(classes);
            Assert.True(expectedCount == countForClasses,
                $"out_channels {classes}: {countForClasses:N0} parameters, MONAI has {expectedCount:N0} ('{countsPath}').");
        }
        log.WriteLine($"Checked {expectedCounts.Count} class counts in {clock.Elapsed.TotalSeconds:F1} s.");
    }

    private sealed record KeyRow(string Key, string Shape, string DType, string Kind);

    private static long HeadParameters(int classes)
    {
        using var head = new UnetOutBlock(48, classes);
        return head.parameters().Sum(parameter => parameter.numel());
    }

    private static SortedDictionary<int, long> ReadCounts(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("swinunetr", out var swin) || !swin.TryGetProperty("counts", out var counts))
        {
            Assert.Fail($"'{path}' has no \"swinunetr\": {{\"counts\": ...}}.");
            return new SortedDictionary<int, long>();
        }
        var result = new SortedDictionary<int, long>();
        foreach (var entry in counts.EnumerateObject())
            result.Add(int.Parse(entry.Name), entry.Value.GetInt64());
        Assert.True(result.Count > 0, $"'{path}' lists no swinunetr parameter counts.");
        return result;
    }

    /// <summary>The class count named in the header line's kwargs ("out_channels": n) and the key rows.</summary>
    private static (int Classes, List<KeyRow> Keys) ReadKeys(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines.FirstOrDefault(line => line.StartsWith('#') && line.Contains("\"out_channels\""));
        Assert.True(header is not null, $"'{path}' has no header naming out_channels.");
        var json = header![header.IndexOf('{')..(header.LastIndexOf('}') + 1)];
        using var kwargs = JsonDocument.Parse(json);
        int classes = kwargs.RootElement.GetProperty("out_channels").GetInt32();
        var keys = lines.Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => new KeyRow(fields[0], fields[1], fields[2], fields[3]))
            .ToList();
        return (classes, keys);
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        _ => type.ToString(),
    };
}
