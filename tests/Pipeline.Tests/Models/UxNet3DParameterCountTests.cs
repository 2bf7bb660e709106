using System.Diagnostics;
using System.Text.Json;
using Pipeline.Plugins.Models;
using Pipeline.Tests.Parity;
using Xunit.Abstractions;

namespace Pipeline.Tests.Models;

/// <summary>
/// The default (paper) configuration has exactly the parameter counts of the original, for every class count listed
/// under "uxnet" in the fixtures' param_counts.json; for the class count of keys_default_uxnet.txt, the state_dict
/// keys and shapes equal that list too.
/// </summary>
public sealed class UxNet3DParameterCountTests(ITestOutputHelper log)
{
    [Fact]
    public void DefaultConfigurationMatchesOriginalParameterCountsAndKeys()
    {
        var countsPath = ParityFixtures.RequireRootFile("param_counts.json");
        var keysPath = ParityFixtures.RequireRootFile("keys_default_uxnet.txt");
        var expectedCounts = ReadCounts(countsPath);
        var (keysClassCount, expectedKeys) = ReadKeys(keysPath);

        var clock = Stopwatch.StartNew();
        var backbone = new UxNet3DBackbone();
        foreach (var (classes, expectedCount) in expectedCounts)
        {
            using var network = backbone.Build(new UxNet3DOptions { OutChannels = classes });
            long count = network.parameters().Sum(parameter => parameter.numel());
            Assert.True(expectedCount == count,
                $"out_channels {classes}: {count:N0} parameters, the original has {expectedCount:N0} ('{countsPath}').");
            if (classes == keysClassCount)
            {
                var actualKeys = network.state_dict().Select(entry => (entry.Key, Shape: Format(entry.Value.shape))).ToList();
                Assert.Equal(expectedKeys.Select(k => k.Key).Order(StringComparer.Ordinal), actualKeys.Select(k => k.Key).Order(StringComparer.Ordinal));
                foreach (var (key, shape) in actualKeys)
                    Assert.True(expectedKeys.Single(k => k.Key == key).Shape == shape,
                        $"{key}: shape {shape}, the original has {expectedKeys.Single(k => k.Key == key).Shape} ('{keysPath}').");
            }
        }
        Assert.Contains(keysClassCount, expectedCounts.Keys);
        Assert.Equal(53_006_069L, expectedCounts[5]);
        log.WriteLine($"Built {expectedCounts.Count} default networks in {clock.Elapsed.TotalSeconds:F1} s.");
    }

    private static SortedDictionary<int, long> ReadCounts(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("uxnet", out var uxnet) || !uxnet.TryGetProperty("counts", out var counts))
        {
            Assert.Fail($"'{path}' has no \"uxnet\": {{\"counts\": ...}}.");
            return new SortedDictionary<int, long>();
        }
        var result = new SortedDictionary<int, long>();
        foreach (var entry in counts.EnumerateObject())
            result.Add(int.Parse(entry.Name), entry.Value.GetInt64());
        Assert.True(result.Count > 0, $"'{path}' lists no uxnet parameter counts.");
        return result;
    }

    /// <summary>The class count named in the header line's kwargs ("out_chans": n) and the (key, shape) rows.</summary>
    private static (int Classes, List<(string Key, string Shape)> Keys) ReadKeys(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines.FirstOrDefault(line => line.StartsWith('#') && line.Contains("\"out_chans\""));
        Assert.True(header is not null, $"'{path}' has no header naming out_chans.");
        var json = header![header.IndexOf('{')..(header.LastIndexOf('}') + 1)];
        using var kwargs = JsonDocument.Parse(json);
        int classes = kwargs.RootElement.GetProperty("out_chans").GetInt32();
        var keys = lines.Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => (fields[0], fields[1]))
            .ToList();
        return (classes, keys);
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
