namespace Pipeline.Cli.Cli;

/// <summary>An error whose message is complete for the user (no stack trace is shown).</summary>
/// <param name="message">What went wrong and what was expected.</param>
/// <param name="inner">The cause, kept for logs.</param>
/// <param name="exitCode">Exit status of the command (2: the input was wrong; 1: the work failed).</param>
public sealed class UserFacingException(string message, Exception? inner = null, int exitCode = 2) : Exception(message, inner)
{
    /// <summary>Exit status of the command.</summary>
    public int ExitCode { get; } = exitCode;
}
