using Pipeline.Cli.Cli;
using Pipeline.Core.Inference;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench infer</c>: sliding-window inference of a synthetic volume with a tiny network, printing the
/// memory estimate first and then wall time and peak resident memory (<see cref="InferenceBenchmark"/>; the section
/// "Sliding-window inference on a 512×512×300 CT" of docs/benchmarks.md comes from here).
/// </summary>
public sealed class BenchInferCommand(CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "bench infer";

    /// <inheritdoc />
    public string Usage => "pipeline bench infer [--shape 512,512,300] [--roi 96] [--classes 5] [--overlap 0.25] [--blend gaussian|constant] " +
                           "[--sw-batch-size 1] [--mirror-axes 0,1,2] [--probabilities float16|float32] [--network tiny] [--channels 8]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions =>
        ["shape", "roi", "classes", "overlap", "blend", "sw-batch-size", "mirror-axes", "probabilities", "network", "channels"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var defaults = new InferenceBenchmarkOptions();
        var roi = CommandLineNumbers.Ints(line, "roi");
        var options = defaults with
        {
            Shape = CommandLineNumbers.Ints(line, "shape") ?? defaults.Shape,
            Roi = roi is { Length: 1 } ? [roi[0], roi[0], roi[0]] : roi ?? defaults.Roi,
            Classes = CommandLineNumbers.Int(line, "classes") ?? defaults.Classes,
            Overlap = CommandLineNumbers.Double(line, "overlap") ?? defaults.Overlap,
            Blend = line.Value("blend") is { } blend ? ParseBlend(blend) : defaults.Blend,
            WindowBatchSize = CommandLineNumbers.Int(line, "sw-batch-size") ?? defaults.WindowBatchSize,
            MirrorAxes = CommandLineNumbers.Ints(line, "mirror-axes") ?? defaults.MirrorAxes,
            ProbabilityType = line.Value("probabilities") is { } type ? ParseProbabilities(type) : defaults.ProbabilityType,
            Network = line.Value("network") ?? defaults.Network,
            Width = CommandLineNumbers.Int(line, "channels") ?? defaults.Width,
        };
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new UserFacingException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        var result = InferenceBenchmark.Run(options, output.Out);
        output.Out.WriteLine(InferenceBenchmark.ToMarkdownTable(result));
        output.Out.WriteLine($"voxels per class: {string.Join(", ", result.LabelCounts)}");
        return Task.FromResult(0);
    }

    private static BlendMode ParseBlend(string text) => text.Trim().ToLowerInvariant() switch
    {
        "gaussian" => BlendMode.Gaussian,
        "constant" => BlendMode.Constant,
        _ => throw new CommandLineException($"--blend: unknown mode '{text}'; expected gaussian or constant."),
    };

    private static ScalarType ParseProbabilities(string text) => text.Trim().ToLowerInvariant() switch
    {
        "float16" => ScalarType.Float16,
        "float32" => ScalarType.Float32,
        _ => throw new CommandLineException($"--probabilities: unknown type '{text}'; expected float16 or float32."),
    };
}
