using System.Diagnostics;
using System.Text.Json;
using Pipeline.Tests.Composition;

namespace Pipeline.Tests.Cli;

/// <summary>SIGTERM to a real `pipeline run` process stops it after the current step, with a checkpoint, exit code 0.</summary>
[Collection(SamplePluginCollection.Name)]
public class GracefulStopTests(SamplePluginBuild sample)
{
    [Fact]
    public void SigtermStopsTheRunAfterTheCurrentStepSavesACheckpointAndExitsZero()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-sigterm-").FullName;
        string manifest = TinyPipeline.Write(folder);
        string output = Path.Combine(folder, "out");
        var start = new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "pipeline.dll"), "run", manifest, "--plugins", sample.OutputDirectory,
            "--out", output, "--set", "stages.train.options.iterations=20000", "--set", "stages.train.options.validate_every=100000",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // Wait until training is under way (a few logged steps), then ask it to stop the way a service manager does.
        // The waits are synchronous on purpose: an awaited delay would need a free xunit worker to resume, and busy
        // parallel tests can starve it for minutes while the child keeps training.
        string? metrics = null;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            metrics ??= Directory.Exists(output) ? Directory.EnumerateFiles(output, "metrics.jsonl", SearchOption.AllDirectories).FirstOrDefault() : null;
            if (metrics is not null && ReadShared(metrics).Count(l => l.Contains("\"loss\"")) >= 3) break;
            Thread.Sleep(200);
        }
        try
        {
            // Only read stderr once the process has ended: reading it earlier blocks until the child exits.
            if (process.HasExited) Assert.Fail($"the run ended early: {stderr.Result}");
            Assert.NotNull(metrics);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "the run did not stop within 60 s of SIGTERM");
        }
        finally
        {
            // Never leave a training process behind, whatever failed above.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        string err = stderr.Result;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {err}");
        string run = Path.GetDirectoryName(metrics)!;
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "latest.ckpt")));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal("interrupted", summary.RootElement.GetProperty("status").GetString());
        Assert.Contains("interrupted", stdout.Result);
    }

    private static List<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }
}
