using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;

namespace Pipeline.Cli;

/// <summary>
/// The composition root: parses the command line, builds a Generic Host with the chosen command as its background
/// work, runs it, and returns the command's exit code. Tests call <see cref="RunAsync"/> in-process.
/// </summary>
public static class PipelineCli
{
    /// <summary>Every command, by its words; resolved from DI only when chosen.</summary>
    private static readonly (string Words, Type Type)[] Commands =
    [
        ("run", typeof(RunCommand)),
        ("validate", typeof(ValidateCommand)),
        ("plugins", typeof(PluginsCommand)),
        ("model info", typeof(ModelInfoCommand)),
        ("bench dwconv", typeof(BenchDepthwiseCommand)),
        ("checkpoint inspect", typeof(CheckpointInspectCommand)),
        ("checkpoint import", typeof(CheckpointImportCommand)),
        ("checkpoint export", typeof(CheckpointExportCommand)),
        ("checkpoint fold", typeof(CheckpointFoldCommand)),
        ("bench bfr-collapse", typeof(BenchBfrCollapseCommand)),
        ("bench repux-step", typeof(BenchRepUxStepCommand)),
        ("bench infer", typeof(BenchInferCommand)),
        ("bench swin", typeof(BenchSwinCommand)),
        ("kernels", typeof(KernelsCommand)),
        ("worker", typeof(WorkerCommand)),
        ("evaluate", typeof(EvaluateCommand)),
        ("image info", typeof(ImageInfoCommand)),
        ("bench nifti-read", typeof(BenchNiftiReadCommand)),
        ("predict", typeof(PredictCommand)),
        ("bench loader", typeof(BenchLoaderCommand)),
    ];

    /// <summary>Runs the CLI with <paramref name="args"/>, writing results to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args, CountCommandWords);
        }
        catch (CommandLineException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        string words = string.Join(' ', line.Words);
        if (line.Words.Count == 0 || words is "help" || line.Flag("help") || line.Flag("h"))
        {
            await stdout.WriteLineAsync(HelpText());
            return line.Words.Count == 0 && !line.Flag("help") ? 2 : 0;
        }
        var match = Commands.FirstOrDefault(c => c.Words == words);
        if (match.Type is null)
        {
            await stderr.WriteLineAsync($"error: unknown command '{words}'. Commands: {string.Join(", ", Commands.Select(c => c.Words))}.");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        ConfigureLogging(builder);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.AddSingleton(line);
        builder.Services.AddSingleton(new CliOutput(stdout, stderr));
        builder.Services.AddSingleton<CommandOutcome>();
        builder.Services.AddSingleton<IPluginCatalog>(_ => PluginCatalogFactory.Create(
            AppContext.BaseDirectory, line.All("plugins"), Environment.GetEnvironmentVariable(PluginSearchPath.EnvironmentVariable)));
        builder.Services.AddSingleton(typeof(ICliCommand), match.Type);
        builder.Services.AddHostedService<CommandRunnerService>();

        var command = (ICliCommand?)null;
        using IHost host = builder.Build();
        command = host.Services.GetRequiredService<ICliCommand>();
        var unknown = line.GivenNames.Except(command.AcceptedOptions).ToList();
        if (unknown.Count > 0)
        {
            await stderr.WriteLineAsync($"error: '{command.Name}' does not take --{string.Join(", --", unknown)}. Usage: {command.Usage}");
            return 2;
        }
        var outcome = host.Services.GetRequiredService<CommandOutcome>();
        await host.RunAsync();
        return outcome.ExitCode;
    }

    private static int CountCommandWords(IReadOnlyList<string> bare)
    {
        if (bare.Count >= 2 && Commands.Any(c => c.Words == $"{bare[0]} {bare[1]}")) return 2;
        return bare.Count == 0 ? 0 : 1;
    }

    private static void ConfigureLogging(HostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.ColorBehavior = Console.IsOutputRedirected ? Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled
                                                        : Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Default;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<RunLogFileProvider>();
        builder.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<RunLogFileProvider>());
    }

    private static string HelpText() => """
        pipeline: 3D medical image segmentation pipelines (RepUX-Net, 3D UX-Net, SwinUNETR) from YAML and plugins.

        Usage:
          pipeline run FILE [--set key.path=value]... [--plugins DIR]... [--out DIR]
          pipeline run [FILE [--set key.path=value]...] --resume RUN_FOLDER [--extend N] [--plugins DIR]...
          pipeline validate FILE [--set key.path=value]... [--plugins DIR]...
          pipeline plugins [--json] [--plugins DIR]...
          pipeline model info --backbone NAME [--set key=value]... [--json] [--plugins DIR]...
          pipeline checkpoint inspect FILE [--json] [--limit N]
          pipeline checkpoint import FILE --backbone NAME [--set key=value]... [--strip-prefix P] [--add-prefix P] --out FILE
          pipeline checkpoint export FILE --format pt|safetensors --out FILE
          pipeline checkpoint fold FILE --out FILE
          pipeline bench dwconv [--channels N] [--size N] [--kernels 3,7,21] [--paths native,fft,direct-backward] [--repeats N]
          pipeline kernels CHECKPOINT [--json] [--min-kernel-size N]
          pipeline bench bfr-collapse [--kernel 21] [--alpha 1] [--channels 4] [--size 24] [--calls 0,10,50,100,150,200]
          pipeline bench repux-step [--channels 16] [--size 48] [--kernel 21] [--blocks 2] [--repeats 5] [--paths native,fft]
          pipeline bench infer [--shape 512,512,300] [--roi 96] [--classes 5] [--overlap 0.25] [--blend gaussian|constant] [--sw-batch-size 1]
                               [--mirror-axes 0,1,2] [--probabilities float16|float32] [--network tiny] [--channels 8]
          pipeline bench swin [--sizes 64,96] [--feature-sizes 12,48] [--attention sdpa,explicit] [--measures fwd,fwd+bwd] [--activation-checkpointing] [--repeats 3]
          pipeline worker --queue DIR [--poll-seconds N] [--plugins DIR]... [--out DIR]
          pipeline image info FILE [--json]
          pipeline evaluate --prediction FILE_OR_DIR --reference FILE_OR_DIR [--labels 1,2|name=1,...] [--tolerance MM] [--empty score|ignore|ignore-both] [--out DIR] [--json]
          pipeline bench nifti-read FILE... [--repeats N] [--python PATH]
          pipeline predict --checkpoint FILE --input IMAGE --output SEG [--probabilities FILE] [--preprocess YAML_FILE] [--roi 96]
                           [--overlap 0.5] [--sw-batch-size 1] [--blend gaussian|constant] [--mirror-axes 0,1,2] [--plugins DIR]...
          pipeline bench loader [--cases 8] [--size 96,96,64] [--patch 32] [--iterations 30] [--prefetch 0,2] [--work DIR]

        Plugins are found beside the host (plugins/), in PIPELINE_PLUGIN_PATH (colon-separated) and in --plugins folders.
        Ctrl+C or SIGTERM stops a run after the current step and saves a checkpoint (exit code 0); --resume continues it
        (also after a kill), --extend N trains a finished run N iterations further.
        """;
}
