using System.Text.Json;

namespace Pipeline.Tests.Cli;

/// <summary>The swin-unetr backbone through the CLI: listing, model info, its pipeline file, and <c>bench swin</c>.</summary>
public class SwinUnetrCliTests
{
    [Fact]
    public async Task PluginsListsSwinUnetr()
    {
        var result = await CliRunner.RunAsync("plugins", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Contains(json.RootElement.GetProperty("plugins").EnumerateArray(),
            p => p.GetProperty("kind").GetString() == "backbone" && p.GetProperty("name").GetString() == "swin-unetr");
    }

    [Fact]
    public async Task ModelInfoReportsMonaisParameterCount()
    {
        var result = await CliRunner.RunAsync("model", "info", "--backbone", "swin-unetr", "--set", "out_channels=5", "--set", "feature_size=48", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(62186855, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(941192, json.RootElement.GetProperty("buffers").GetInt64()); // the eight 343×343 relative_position_index buffers
        Assert.Equal(8062002, json.RootElement.GetProperty("modules").GetProperty("swinViT").GetInt64());
    }

    [Fact]
    public async Task ModelInfoRejectsAFeatureSizeThatIsNotAMultipleOf12()
    {
        var result = await CliRunner.RunAsync("model", "info", "--backbone", "swin-unetr", "--set", "feature_size=40");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("feature_size", result.Error);
        Assert.Contains("multiple of 12", result.Error);
    }

    [Fact]
    public async Task ThePipelineFileIsValid()
    {
        string manifest = Path.Combine(RepositoryRoot.Path, "pipelines", "swin-unetr-synthetic.yaml");
        var result = await CliRunner.RunAsync("validate", manifest);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("swin-unetr", result.Out);
    }

    [Fact]
    public async Task BenchSwinPrintsATableAndRejectsSizesNotDivisibleBy32()
    {
        var bad = await CliRunner.RunAsync("bench", "swin", "--sizes", "40");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("multiples of 32", bad.Error);

        var result = await CliRunner.RunAsync("bench", "swin", "--sizes", "32", "--feature-sizes", "12", "--measures", "fwd", "--repeats", "1");
        Assert.True(result.ExitCode == 0, result.Error);
        var rows = result.Out.Split('\n').Where(line => line.StartsWith("| 1×1×", StringComparison.Ordinal)).ToList();
        var row = Assert.Single(rows);
        Assert.Contains("| 12 | ScaledDotProduct | fwd |", row);
    }
}
