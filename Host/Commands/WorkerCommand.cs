using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Core.Manifest;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline worker --queue DIR</c>: the host as a long-running worker service. It watches DIR for manifests
/// (<c>*.yaml</c>), runs them one at a time, and files each under <c>running/</c>, then <c>done/</c>, <c>failed/</c>
/// (with <c>NAME.error.txt</c>) or <c>interrupted/</c>. SIGTERM stops the current run after its step, as with <c>run</c>.
/// </summary>
public sealed class WorkerCommand(
    IPluginCatalog catalog,
    RunLogFileProvider runLog,
    CliOutput output,
    ILoggerFactory loggers) : ICliCommand
{
    private readonly ILogger _logger = loggers.CreateLogger<WorkerCommand>();

    /// <inheritdoc />
    public string Name => "worker";

    /// <inheritdoc />
    public string Usage => "pipeline worker --queue DIR [--poll-seconds 5] [--plugins DIR]... [--out DIR]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["queue", "poll-seconds", "plugins", "out"];

    /// <inheritdoc />
    public async Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string queue = line.Value("queue") ?? throw new CommandLineException($"--queue is required. Usage: {Usage}");
        double pollSeconds = double.TryParse(line.Value("poll-seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0
            ? p : throw new CommandLineException("--poll-seconds: expected a positive number.");
        foreach (string folder in new[] { "running", "done", "failed", "interrupted" })
            Directory.CreateDirectory(Path.Combine(queue, folder));
        _logger.LogInformation("Worker watching {Queue} every {Seconds} s", Path.GetFullPath(queue), pollSeconds);

        while (!cancellationToken.IsCancellationRequested)
        {
            string? next = Directory.EnumerateFiles(queue, "*.yaml").Concat(Directory.EnumerateFiles(queue, "*.yml"))
                .OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).FirstOrDefault();
            if (next is null)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(pollSeconds), cancellationToken); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            await RunOneAsync(queue, next, line.Value("out"), cancellationToken);
        }
        _logger.LogInformation("Worker stopped");
        return 0;
    }

    private async Task RunOneAsync(string queue, string manifestPath, string? outputRoot, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(manifestPath);
        string running = Path.Combine(queue, "running", name);
        File.Move(manifestPath, running, overwrite: true);
        _logger.LogInformation("Picked up {Manifest}", name);
        string destination;
        try
        {
            PipelineManifest manifest = ManifestLoader.Load(running, [], catalog);
            var progress = new ConsoleProgressSink(loggers.CreateLogger<ConsoleProgressSink>(), output.Error, interactive: false);
            var result = await new PipelineRunner(catalog, progress, loggers)
                .RunAsync(manifest, outputRoot, run => runLog.Attach(run.LogPath), cancellationToken);
            destination = result.Status == "interrupted" ? "interrupted" : "done";
            _logger.LogInformation("{Manifest} {Status}: {RunFolder}", name, result.Status, result.RunDirectory);
        }
        catch (Exception e) when (e is ManifestException or StageFailedException or IOException or InvalidOperationException or ArgumentException)
        {
            destination = "failed";
            File.WriteAllText(Path.Combine(queue, "failed", name + ".error.txt"), e.ToString());
            _logger.LogError("{Manifest} failed: {Message}", name, e.Message);
        }
        finally
        {
            runLog.Detach();
        }
        File.Move(running, Path.Combine(queue, destination, name), overwrite: true);
    }
}
