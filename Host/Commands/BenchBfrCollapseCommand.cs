using Pipeline.Cli.Cli;
using Pipeline.Plugins.Priors.Diagnostics;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench bfr-collapse</c>: trains one large depthwise layer in BFR official and reparam mode from the same
/// seed and prints, per number of forward calls, how much of the effective kernel survives outside the centre 3³
/// (<see cref="BfrCollapseExperiment"/>; the numbers in docs/bfr-official-mode.md come from here).
/// </summary>
public sealed class BenchBfrCollapseCommand(CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "bench bfr-collapse";

    /// <inheritdoc />
    public string Usage => "pipeline bench bfr-collapse [--kernel 21] [--alpha 1] [--channels 4] [--size 24] [--calls 0,10,50,100,150,200] [--learning-rate 0.001]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["kernel", "alpha", "channels", "size", "calls", "learning-rate"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var defaults = new BfrCollapseOptions();
        var options = defaults with
        {
            KernelSize = CommandLineNumbers.Int(line, "kernel") ?? defaults.KernelSize,
            Alpha = CommandLineNumbers.Double(line, "alpha") ?? defaults.Alpha,
            Channels = CommandLineNumbers.Int(line, "channels") ?? defaults.Channels,
            Size = CommandLineNumbers.Int(line, "size") ?? defaults.Size,
            Calls = CommandLineNumbers.Ints(line, "calls") ?? defaults.Calls,
            LearningRate = CommandLineNumbers.Double(line, "learning-rate") ?? defaults.LearningRate,
        };
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new UserFacingException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        output.Out.WriteLine(BfrCollapseExperiment.ToMarkdownTable(BfrCollapseExperiment.Run(options)));
        return Task.FromResult(0);
    }
}
