using System.Text.Json;
using Pipeline.Tests.Composition;

namespace Pipeline.Tests.Cli;

[Collection(SamplePluginCollection.Name)]
public class CliCommandTests(SamplePluginBuild sample)
{
    [Fact]
    public async Task PluginsJsonListsTheFoundationPlugins()
    {
        var result = await CliRunner.RunAsync("plugins", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var found = json.RootElement.GetProperty("plugins").EnumerateArray()
            .Select(p => (p.GetProperty("kind").GetString(), p.GetProperty("name").GetString())).ToHashSet();
        Assert.Contains(("backbone", "3d-ux-net"), found);
        Assert.Contains(("dataset", "synthetic"), found);
        Assert.Contains(("prior", "none"), found);
        Assert.Contains(("stage", "train"), found);
        Assert.Contains(("stage", "validate"), found);
        foreach (var plugin in json.RootElement.GetProperty("plugins").EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(plugin.GetProperty("version").GetString()));
            Assert.False(string.IsNullOrEmpty(plugin.GetProperty("description").GetString()));
            Assert.EndsWith(".dll", plugin.GetProperty("assembly").GetString());
        }
    }

    [Fact]
    public async Task ModelInfoReportsThePaperParameterCount()
    {
        var result = await CliRunner.RunAsync("model", "info", "--backbone", "3d-ux-net", "--set", "out_channels=5", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("3d-ux-net", json.RootElement.GetProperty("backbone").GetString());
        Assert.Equal(53006069, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(53006069, json.RootElement.GetProperty("trainable_parameters").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("buffers").GetInt64());
        long perModule = json.RootElement.GetProperty("modules").EnumerateObject().Sum(m => m.Value.GetInt64());
        Assert.Equal(53006069, perModule);
    }

    [Fact]
    public async Task ModelInfoRejectsAMisspelledOption()
    {
        var result = await CliRunner.RunAsync("model", "info", "--backbone", "3d-ux-net", "--set", "out_chanels=5");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("out_chanels", result.Error);
        Assert.Contains("out_channels", result.Error);
    }

    [Fact]
    public async Task ValidateAcceptsTheQuickstartAndRejectsAMisspelledKeyWithItsLine()
    {
        string quickstart = Path.Combine(RepositoryRoot.Path, "pipelines", "quickstart.yaml");
        var ok = await CliRunner.RunAsync("validate", quickstart);
        Assert.True(ok.ExitCode == 0, ok.Error);

        string folder = Directory.CreateTempSubdirectory("pipeline-validate-").FullName;
        string[] lines = File.ReadAllLines(quickstart);
        int index = Array.FindIndex(lines, l => l.TrimStart().StartsWith("iterations:", StringComparison.Ordinal));
        Assert.True(index >= 0, "quickstart.yaml has an iterations key");
        lines[index] = lines[index].Replace("iterations:", "iteratons:");
        string broken = Path.Combine(folder, "broken.yaml");
        File.WriteAllLines(broken, lines);

        var bad = await CliRunner.RunAsync("validate", broken);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains($"broken.yaml:{index + 1}:", bad.Error);
        Assert.Contains("iteratons", bad.Error);
        Assert.Contains("iterations", bad.Error);
    }

    [Fact]
    public async Task UnknownCommandAndUnknownOptionAreUsageErrors()
    {
        Assert.Equal(2, (await CliRunner.RunAsync("frobnicate")).ExitCode);
        var result = await CliRunner.RunAsync("plugins", "--bogus");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--bogus", result.Error);
    }

    [Fact]
    public async Task RunsAPipelineWithAnExternalPluginAndWritesTheRunFolder()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-run-").FullName;
        string manifest = TinyPipeline.Write(folder);
        string output = Path.Combine(folder, "out");

        var result = await CliRunner.RunAsync("run", manifest, "--plugins", sample.OutputDirectory, "--out", output,
            "--set", "stages.train.options.iterations=4");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);

        string run = Assert.Single(Directory.GetDirectories(Path.Combine(output, "tiny")));
        Assert.Matches(@"^\d{8}T\d{6}Z", Path.GetFileName(run));
        string resolved = File.ReadAllText(Path.Combine(run, "resolved.yaml"));
        Assert.Contains("iterations: 4", resolved);
        Assert.Contains("tiny-unet", resolved);
        Assert.True(new FileInfo(Path.Combine(run, "pipeline.log")).Length > 0);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "best.ckpt")));
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "latest.ckpt")));

        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.Contains(metrics, m => m.RootElement.TryGetProperty("loss", out _));
        Assert.Contains(metrics, m => m.RootElement.TryGetProperty("validation_mean_dice", out _));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
        var validate = summary.RootElement.GetProperty("stages").GetProperty("validate");
        double meanDice = validate.GetProperty("mean_dice").GetDouble();
        Assert.InRange(meanDice, 0, 1);
        var perClass = validate.GetProperty("dice").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(new[] { "ellipsoid", "tube" }, perClass);
        Assert.True(Directory.Exists(Path.Combine(run, "validate")));
    }

    [Fact]
    public async Task AStageThatFailsAtRunTimePrintsOneLineAndKeepsTheTraceInTheRunLog()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-fail-").FullName;
        string manifest = TinyPipeline.Write(folder);
        string output = Path.Combine(folder, "out");

        var result = await CliRunner.RunAsync("run", manifest, "--plugins", sample.OutputDirectory, "--out", output,
            "--set", "stages.train.options.iterations=1", "--set", "stages.validate.options.split=no-such-split");

        Assert.Equal(1, result.ExitCode);
        string run = Assert.Single(Directory.GetDirectories(Path.Combine(output, "tiny")));
        string log = Path.Combine(run, "pipeline.log");
        Assert.Contains("error: Stage 'validate'", result.Error);
        Assert.Contains("'no-such-split' is not a split", result.Error);
        Assert.Contains($"(stack trace in {log})", result.Error);
        Assert.DoesNotContain("   at Pipeline.", result.Error);
        Assert.Contains("at Pipeline.Core.Stages.StageOptionChecks.RequireSplit", File.ReadAllText(log));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal("failed", summary.RootElement.GetProperty("status").GetString());
    }
}
