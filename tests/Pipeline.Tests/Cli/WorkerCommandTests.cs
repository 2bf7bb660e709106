using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;
using Pipeline.Tests.Composition;

namespace Pipeline.Tests.Cli;

/// <summary>The worker form of the host: manifests dropped into a queue folder are run and filed by outcome.</summary>
[Collection(SamplePluginCollection.Name)]
public class WorkerCommandTests(SamplePluginBuild sample)
{
    [Fact]
    public void RunsQueuedManifestsAndFilesThemByOutcome()
    {
        string queue = Directory.CreateTempSubdirectory("pipeline-queue-").FullName;
        string output = Path.Combine(queue, "..", Path.GetFileName(queue) + "-out");
        TinyPipeline.Write(queue);
        File.WriteAllText(Path.Combine(queue, "broken.yaml"), TinyPipeline.Yaml.Replace("iterations: 6", "iteratons: 6"));

        using var catalog = PluginCatalogFactory.Create(AppContext.BaseDirectory, [sample.OutputDirectory], null);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var worker = new WorkerCommand(catalog, new RunLogFileProvider(), new CliOutput(stdout, stderr), NullLoggerFactory.Instance);
        var line = CommandLine.Parse(["worker", "--queue", queue, "--poll-seconds", "0.2", "--out", output], _ => 1);

        using var stop = new CancellationTokenSource();
        Task<int> running = Task.Run(() => worker.ExecuteAsync(line, stop.Token));
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline &&
               !(File.Exists(Path.Combine(queue, "done", "tiny.yaml")) && File.Exists(Path.Combine(queue, "failed", "broken.yaml"))))
            Thread.Sleep(100);
        stop.Cancel();
        Assert.True(running.Wait(TimeSpan.FromSeconds(60)), "the worker did not stop after cancellation");
        Assert.Equal(0, running.Result);

        Assert.True(File.Exists(Path.Combine(queue, "done", "tiny.yaml")), stderr.ToString());
        Assert.True(File.Exists(Path.Combine(queue, "failed", "broken.yaml")));
        Assert.Contains("iteratons", File.ReadAllText(Path.Combine(queue, "failed", "broken.yaml.error.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(queue, "running")));
        string run = Assert.Single(Directory.GetDirectories(Path.Combine(output, "tiny")));
        Assert.True(File.Exists(Path.Combine(run, "summary.json")));
    }
}
