namespace Pipeline.Cli.Cli;

/// <summary>The exit code the command produced, read by <see cref="PipelineCli"/> once the host has stopped.</summary>
public sealed class CommandOutcome
{
    /// <summary>Exit code; 1 until the command finishes.</summary>
    public int ExitCode { get; set; } = 1;
}
