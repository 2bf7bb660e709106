using Pipeline.Cli.Cli;
using Pipeline.Core.Nn;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench repux-step</c>: times a training step and inference of a stack of RepUX-Net blocks with the weight
/// priors none, bfr (reparam) and structural, and the folded models' inference (<see cref="RepUxStepBenchmark"/>;
/// the table in docs/benchmarks.md comes from here).
/// </summary>
public sealed class BenchRepUxStepCommand(CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "bench repux-step";

    /// <inheritdoc />
    public string Usage => "pipeline bench repux-step [--channels 16] [--size 48] [--kernel 21] [--blocks 2] [--repeats 5] [--paths native,fft] [--train-native]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["channels", "size", "kernel", "blocks", "repeats", "paths", "train-native"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var defaults = new RepUxStepBenchmarkOptions();
        var paths = line.Value("paths") is { } text ? text.Split(',').Select(ParsePath).ToList() : defaults.Paths;
        var options = defaults with
        {
            Channels = CommandLineNumbers.Int(line, "channels") ?? defaults.Channels,
            Size = CommandLineNumbers.Int(line, "size") ?? defaults.Size,
            KernelSize = CommandLineNumbers.Int(line, "kernel") ?? defaults.KernelSize,
            Blocks = CommandLineNumbers.Int(line, "blocks") ?? defaults.Blocks,
            Repeats = CommandLineNumbers.Int(line, "repeats") ?? defaults.Repeats,
            Paths = paths,
            TrainPaths = line.Flag("train-native") ? paths : paths.Where(p => p != DepthwiseConvPath.Native).ToList(),
        };
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new UserFacingException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        output.Error.WriteLine($"input 1x{options.Channels}x{options.Size}^3, {options.Blocks} blocks, k={options.KernelSize}, {options.Repeats} timed rounds");
        output.Out.WriteLine(RepUxStepBenchmark.ToMarkdownTable(RepUxStepBenchmark.Run(options, output.Error)));
        return Task.FromResult(0);
    }

    private static DepthwiseConvPath ParsePath(string text) => text.Trim().Replace("-", "").Replace("_", "").ToLowerInvariant() switch
    {
        "native" => DepthwiseConvPath.Native,
        "fft" => DepthwiseConvPath.Fft,
        "directbackward" => DepthwiseConvPath.DirectBackward,
        _ => throw new CommandLineException($"--paths: unknown path '{text}'; expected native, fft or direct-backward."),
    };
}
