using System.Diagnostics;
using System.Text.Json;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Tests.Parity;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary>
/// The default (paper) configuration of <c>repux-net</c> has exactly the original's parameter counts for every class
/// count listed under "repuxnet" in the fixtures' param_counts.json, and the state_dict keys and shapes of
/// keys_default_repuxnet.txt.
/// </summary>
/// <remarks>
/// One default network is built (about two seconds for 65.8M parameters) for the class count of the keys file. The
/// other class counts are checked by swapping only the head: <c>out_channels</c> reaches nothing but
/// <see cref="UnetOutBlock"/> (the decoder base builds every other module from in_channels, feature_sizes and
/// hidden_size), so count(C) = count(C₀) − |head(C₀)| + |head(C)| with each head actually built. The test also checks
/// that the keys outside <c>out.*</c> are those of the original, so a dependency elsewhere would show up as a key or
/// shape difference.
/// </remarks>
public sealed class RepUxNet3DParameterCountTests(ITestOutputHelper log)
{
    [Fact]
    public void DefaultConfigurationMatchesOriginalParameterCountsAndKeys()
    {
        var countsPath = ParityFixtures.RequireRootFile("param_counts.json");
        var keysPath = ParityFixtures.RequireRootFile("keys_default_repuxnet.txt");
        var expectedCounts = ReadCounts(countsPath);
        var (keysClassCount, expectedKeys) = ReadKeys(keysPath);
        Assert.Contains(keysClassCount, expectedCounts.Keys);
        Assert.Equal(65_827_829L, expectedCounts[5]);

        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var network = new RepUxNet3DBackbone().Build(new RepUxNet3DOptions { OutChannels = keysClassCount });
        log.WriteLine($"Built the default network in {clock.Elapsed.TotalSeconds:F1} s.");

        var actualKeys = network.state_dict().Select(entry => (entry.Key, Shape: Format(entry.Value.shape))).ToList();
        // TorchSharp lists a module's parameters before its buffers, so the order differs from PyTorch's; the sets must not.
        Assert.Equal(expectedKeys.Select(k => k.Key).Order(StringComparer.Ordinal), actualKeys.Select(k => k.Key).Order(StringComparer.Ordinal));
        foreach (var (key, shape) in actualKeys)
            Assert.True(expectedKeys.Single(k => k.Key == key).Shape == shape,
                $"{key}: shape {shape}, the original has {expectedKeys.Single(k => k.Key == key).Shape} ('{keysPath}').");

        long count = network.parameters().Sum(parameter => parameter.numel());
        long headCount = HeadParameters(keysClassCount);
        foreach (var (classes, expectedCount) in expectedCounts)
        {
            long countForClasses = count - headCount + HeadParameters(classes);
            Assert.True(expectedCount == countForClasses,
                $"out_channels {classes}: {countForClasses:N0} parameters, the original has {expectedCount:N0} ('{countsPath}').");
        }
        log.WriteLine($"Checked {expectedCounts.Count} class counts in {clock.Elapsed.TotalSeconds:F1} s.");
    }

    private static long HeadParameters(int classes)
    {
        using var head = new UnetOutBlock(Plugins.Models.Nets.UnetrStyleNetwork.OriginalHeadChannels, classes);
        return head.parameters().Sum(parameter => parameter.numel());
    }

    private static SortedDictionary<int, long> ReadCounts(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("repuxnet", out var repuxnet) || !repuxnet.TryGetProperty("counts", out var counts))
        {
            Assert.Fail($"'{path}' has no \"repuxnet\": {{\"counts\": ...}}.");
            return new SortedDictionary<int, long>();
        }
        var result = new SortedDictionary<int, long>();
        foreach (var entry in counts.EnumerateObject())
            result.Add(int.Parse(entry.Name), entry.Value.GetInt64());
        Assert.True(result.Count > 0, $"'{path}' lists no repuxnet parameter counts.");
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
