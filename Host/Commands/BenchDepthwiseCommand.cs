using Pipeline.Cli.Cli;
using Pipeline.Core.Nn;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench dwconv</c>: times every depthwise-convolution path forward and forward+backward and prints a
/// markdown table (the numbers in docs/benchmarks.md come from here).
/// </summary>
public sealed class BenchDepthwiseCommand(CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "bench dwconv";

    /// <inheritdoc />
    public string Usage => "pipeline bench dwconv [--channels 48] [--size 32] [--kernels 3,5,7,13,21] [--paths native,fft,direct-backward] [--repeats 3]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["channels", "size", "kernels", "paths", "repeats"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var defaults = new DepthwiseConvBenchmarkOptions();
        var options = defaults with
        {
            Channels = Ints(line, "channels") ?? defaults.Channels,
            SpatialSizes = Ints(line, "size") ?? defaults.SpatialSizes,
            KernelSizes = Ints(line, "kernels") ?? defaults.KernelSizes,
            Repeats = Ints(line, "repeats")?[0] ?? defaults.Repeats,
            Paths = line.Value("paths") is { } paths ? paths.Split(',').Select(ParsePath).ToList() : defaults.Paths,
        };
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new UserFacingException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        var results = DepthwiseConvBenchmark.Run(options, output.Error);
        output.Out.WriteLine(DepthwiseConvBenchmark.ToMarkdownTable(results));
        return Task.FromResult(0);
    }

    private static int[]? Ints(CommandLine line, string option)
    {
        string? text = line.Value(option);
        if (text is null) return null;
        try
        {
            return text.Split(',', StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        }
        catch (FormatException)
        {
            throw new CommandLineException($"--{option}: expected comma-separated integers, got '{text}'.");
        }
    }

    private static DepthwiseConvPath ParsePath(string text) => text.Trim().Replace("-", "").Replace("_", "").ToLowerInvariant() switch
    {
        "native" => DepthwiseConvPath.Native,
        "fft" => DepthwiseConvPath.Fft,
        "directbackward" => DepthwiseConvPath.DirectBackward,
        "auto" => DepthwiseConvPath.Auto,
        _ => throw new CommandLineException($"--paths: unknown path '{text}'; expected native, fft, direct-backward or auto."),
    };
}
