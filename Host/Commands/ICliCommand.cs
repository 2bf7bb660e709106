using Pipeline.Cli.Cli;

namespace Pipeline.Cli.Commands;

/// <summary>One CLI command (<c>run</c>, <c>plugins</c>, <c>model info</c>, ...), resolved from DI with its services.</summary>
public interface ICliCommand
{
    /// <summary>The command words, e.g. <c>model info</c>.</summary>
    string Name { get; }

    /// <summary>Usage line shown by <c>pipeline --help</c>.</summary>
    string Usage { get; }

    /// <summary>Option and flag names this command accepts (others are rejected).</summary>
    IReadOnlyCollection<string> AcceptedOptions { get; }

    /// <summary>Runs the command; returns the process exit code.</summary>
    Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken);
}
