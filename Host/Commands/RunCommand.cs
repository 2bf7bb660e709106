using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Core.Manifest;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline run FILE [--set k=v]... [--plugins DIR]... [--out DIR]</c>: loads and validates the manifest, then runs
/// its stages. Ctrl+C / SIGTERM stop after the current step with a checkpoint saved (exit code 0).
/// </summary>
public sealed class RunCommand(
    IPluginCatalog catalog,
    RunLogFileProvider runLog,
    CliOutput output,
    ILoggerFactory loggers) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "run";

    /// <inheritdoc />
    public string Usage => "pipeline run FILE [--set key.path=value]... [--plugins DIR]... [--out DIR]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["set", "plugins", "out"];

    /// <inheritdoc />
    public async Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string file = ManifestArgument.Require(line, Usage);
        PipelineManifest manifest = ManifestArgument.Load(file, line.All("set"), catalog, output);
        var progress = new ConsoleProgressSink(loggers.CreateLogger<ConsoleProgressSink>(), output.Error, ConsoleProgressSink.IsInteractiveConsole());
        var runner = new PipelineRunner(catalog, progress, loggers);
        try
        {
            PipelineRunResult result = await runner.RunAsync(manifest, line.Value("out"), run => runLog.Attach(run.LogPath), cancellationToken);
            output.Out.WriteLine($"{result.Status}: {result.RunDirectory}");
            return 0;
        }
        finally
        {
            runLog.Detach();
        }
    }
}
