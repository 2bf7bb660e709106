using Pipeline.Cli.Cli;
using Pipeline.Plugins.Models.Blocks;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench swin</c>: times the <c>swin-unetr</c> network forward and forward+backward for given input sizes
/// and feature sizes and prints a markdown table (<see cref="SwinBenchmark"/>; the table in docs/benchmarks.md comes
/// from here).
/// </summary>
public sealed class BenchSwinCommand(CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "bench swin";

    /// <inheritdoc />
    public string Usage =>
        "pipeline bench swin [--sizes 64,96] [--feature-sizes 12,48] [--attention sdpa,explicit] [--measures fwd,fwd+bwd] [--activation-checkpointing] [--repeats 3]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["sizes", "feature-sizes", "attention", "measures", "activation-checkpointing", "repeats"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var defaults = new SwinBenchmarkOptions();
        var measures = line.Value("measures") is { } text ? text.Split(',').Select(ParseMeasure).ToHashSet() : null;
        var options = defaults with
        {
            Sizes = CommandLineNumbers.Ints(line, "sizes") ?? defaults.Sizes,
            FeatureSizes = CommandLineNumbers.Ints(line, "feature-sizes") ?? defaults.FeatureSizes,
            AttentionPaths = line.Value("attention") is { } paths ? paths.Split(',').Select(ParseAttention).ToList() : defaults.AttentionPaths,
            Forward = measures?.Contains(SwinBenchmark.ForwardMeasure) ?? defaults.Forward,
            ForwardBackward = measures?.Contains(SwinBenchmark.ForwardBackwardMeasure) ?? defaults.ForwardBackward,
            Checkpoint = line.Flag("activation-checkpointing"),
            Repeats = CommandLineNumbers.Int(line, "repeats") ?? defaults.Repeats,
        };
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new UserFacingException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        output.Error.WriteLine($"swin-unetr, input 1x1xs^3, torch threads {TorchSharp.torch.get_num_threads()}, 1 warm-up + {options.Repeats} timed rounds per measure");
        output.Out.WriteLine(SwinBenchmark.ToMarkdownTable(SwinBenchmark.Run(options, output.Error, cancellationToken)));
        return Task.FromResult(0);
    }

    private static WindowAttentionPath ParseAttention(string text) => text.Trim().Replace("-", "").Replace("_", "").ToLowerInvariant() switch
    {
        "sdpa" or "scaleddotproduct" or "fused" => WindowAttentionPath.ScaledDotProduct,
        "explicit" => WindowAttentionPath.Explicit,
        _ => throw new CommandLineException($"--attention: unknown implementation '{text}'; expected sdpa or explicit."),
    };

    private static string ParseMeasure(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fwd" => SwinBenchmark.ForwardMeasure,
        "fwd+bwd" or "fwdbwd" => SwinBenchmark.ForwardBackwardMeasure,
        _ => throw new CommandLineException($"--measures: unknown measure '{text}'; expected fwd or fwd+bwd."),
    };
}
