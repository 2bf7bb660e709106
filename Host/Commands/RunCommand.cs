using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Core.Manifest;
using Pipeline.Core.Stages;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline run FILE [--set k=v]... [--plugins DIR]... [--out DIR]</c>: loads and validates the manifest, then runs
/// its stages. Ctrl+C / SIGTERM stop after the current step with a checkpoint saved (exit code 0).
/// <para><c>pipeline run [FILE [--set k=v]...] --resume RUN_FOLDER [--extend N]</c> continues a stopped or killed run
/// from its checkpoints with the run's own <c>resolved.yaml</c> (a FILE, with the same <c>--set</c> values, must
/// resolve to the same manifest); <c>--extend N</c> first adds N iterations to the run's train stage, so a finished
/// run trains further (see docs/training.md).</para>
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
    public string Usage =>
        "pipeline run FILE [--set key.path=value]... [--plugins DIR]... [--out DIR] | " +
        "pipeline run [FILE [--set key.path=value]...] --resume RUN_FOLDER [--extend N] [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["set", "plugins", "out", "resume", "extend"];

    /// <inheritdoc />
    public async Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Value("resume") is { } runFolder)
            return await ResumeAsync(line, runFolder, cancellationToken);
        if (line.Value("extend") is not null)
            throw new CommandLineException($"--extend N adds iterations to an existing run and needs --resume RUN_FOLDER. Usage: {Usage}");

        string file = ManifestArgument.Require(line, Usage);
        PipelineManifest manifest = ManifestArgument.Load(file, line.All("set"), catalog, output);
        string? logPath = null;
        return await RunAsync(runner => runner.RunAsync(manifest, line.Value("out"), run => runLog.Attach(logPath = run.LogPath), cancellationToken), () => logPath);
    }

    private async Task<int> ResumeAsync(CommandLine line, string runFolder, CancellationToken cancellationToken)
    {
        if (line.Value("out") is not null)
            throw new CommandLineException("--out cannot be combined with --resume: the run folder is given.");
        if (line.Positionals.Count > 1)
            throw new CommandLineException($"expected at most one manifest FILE. Usage: {Usage}");
        if (line.Positionals.Count == 0 && line.All("set").Count > 0)
            throw new CommandLineException(
                "--set with --resume needs the manifest FILE it applies to (to check the run was made from it); a resumed " +
                "run keeps its resolved.yaml. Use --extend N to train further.");
        RunFolder run;
        try
        {
            run = RunFolder.Open(runFolder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException)
        {
            throw new UserFacingException(e.Message, e);
        }

        PipelineManifest manifest = ManifestArgument.Load(run.ResolvedManifestPath, [], catalog, output);
        if (line.Positionals.Count == 1)
        {
            string file = ManifestArgument.Require(line, Usage);
            RequireSameManifest(ManifestArgument.Load(file, line.All("set"), catalog, output), manifest, file, run);
        }

        string? extended = null;
        if (CommandLineNumbers.Int(line, "extend") is { } extra)
        {
            if (extra < 1) throw new CommandLineException($"--extend: expected a positive number of iterations, got {extra}.");
            var stage = TrainStageOf(manifest, run);
            int iterations = ((TrainOptions)stage.Section.Options).Iterations;
            manifest = ManifestArgument.Load(run.ResolvedManifestPath,
                [$"stages.{stage.Name}.options.iterations={checked(iterations + extra)}"], catalog, output);
            extended = stage.Name;
            output.Error.WriteLine($"Extending stage '{stage.Name}' from {iterations} to {iterations + extra} iterations.");
        }
        string? logPath = null;
        return await RunAsync(runner => runner.ResumeAsync(manifest, run, extended, r => runLog.Attach(logPath = r.LogPath), cancellationToken), () => logPath);
    }

    /// <summary>
    /// Runs the pipeline. A failed stage's message (stage, manifest line, cause) goes to the console and its full stack
    /// trace to the run's pipeline.log, so a configuration mistake found at run time reads as one line.
    /// </summary>
    private async Task<int> RunAsync(Func<PipelineRunner, Task<PipelineRunResult>> start, Func<string?> logPath)
    {
        var progress = new ConsoleProgressSink(loggers.CreateLogger<ConsoleProgressSink>(), output.Error, ConsoleProgressSink.IsInteractiveConsole());
        var runner = new PipelineRunner(catalog, progress, loggers);
        try
        {
            PipelineRunResult result = await start(runner);
            output.Out.WriteLine($"{result.Status}: {result.RunDirectory}");
            return 0;
        }
        // The filter runs before the finally block detaches the run's log, so the trace lands in the run folder.
        catch (StageFailedException e) when (runLog.WriteFailure(nameof(RunCommand), e))
        {
            throw new UserFacingException($"{e.Message} (stack trace in {logPath()})", e, exitCode: 1);
        }
        finally
        {
            runLog.Detach();
        }
    }

    /// <summary>The run's only train stage; --extend needs exactly one.</summary>
    private static StageDefinition TrainStageOf(PipelineManifest manifest, RunFolder run)
    {
        var stages = manifest.Stages.Where(s => s.Section.Options is TrainOptions).ToList();
        return stages.Count == 1
            ? stages[0]
            : throw new UserFacingException(
                $"--extend adds iterations to the run's train stage, but {run.ResolvedManifestPath} has " +
                (stages.Count == 0 ? "none." : $"{stages.Count}: {string.Join(", ", stages.Select(s => s.Name))}."));
    }

    /// <summary>
    /// Throws unless <paramref name="given"/> resolves to the run's manifest. <c>output_root</c> is not compared: the
    /// run folder is given, and a run started with <c>--out</c> lives elsewhere anyway.
    /// </summary>
    private static void RequireSameManifest(PipelineManifest given, PipelineManifest resolved, string file, RunFolder run)
    {
        string[] expected = ComparableLines(resolved), actual = ComparableLines(given);
        for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            string want = i < expected.Length ? expected[i] : "(end)", got = i < actual.Length ? actual[i] : "(end)";
            if (want != got)
                throw new UserFacingException(
                    $"{file} does not resolve to the manifest of {run.Root}: resolved.yaml has '{want.Trim()}' where {file} has " +
                    $"'{got.Trim()}'. Resume without FILE to use the run's own resolved.yaml (it includes earlier --extend).");
        }
    }

    private static string[] ComparableLines(PipelineManifest manifest) =>
        ManifestWriter.ToYaml(manifest).Split('\n').Where(l => !l.StartsWith("output_root:", StringComparison.Ordinal)).ToArray();
}
