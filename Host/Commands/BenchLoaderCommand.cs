using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench loader</c>: the share of a training step spent waiting for data, for each data source and
/// cache, with and without prefetching (<see cref="LoaderBenchmark"/>; the section "Waiting for data during
/// training" of docs/benchmarks.md comes from here).
/// </summary>
public sealed class BenchLoaderCommand(IPluginCatalog catalog, CliOutput output, ILoggerFactory loggers, RunLogFileProvider runLog) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "bench loader";

    /// <inheritdoc />
    public string Usage => "pipeline bench loader [--cases 8] [--size 96,96,64] [--patch 32] [--iterations 30] [--prefetch 0,2] [--work DIR]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["cases", "size", "patch", "iterations", "prefetch", "work", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var defaults = new LoaderBenchmarkOptions();
        var options = defaults with
        {
            Cases = CommandLineNumbers.Int(line, "cases") ?? defaults.Cases,
            Size = CommandLineNumbers.Ints(line, "size") ?? defaults.Size,
            Patch = CommandLineNumbers.Int(line, "patch") ?? defaults.Patch,
            Iterations = CommandLineNumbers.Int(line, "iterations") ?? defaults.Iterations,
            Prefetch = CommandLineNumbers.Ints(line, "prefetch") ?? defaults.Prefetch,
            Work = line.Value("work"),
        };
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new UserFacingException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        var rows = new LoaderBenchmark(catalog, output, loggers, runLog).Run(options, cancellationToken);
        output.Out.WriteLine(LoaderBenchmark.ToMarkdownTable(rows));
        foreach (var note in rows.SelectMany(r => r.Notes).Distinct()) output.Out.WriteLine(note);
        output.Out.WriteLine($"torch threads: {TorchSharp.torch.get_num_threads()}, cores: {Environment.ProcessorCount}");
        return Task.FromResult(0);
    }
}
