namespace Pipeline.Cli.Cli;

/// <summary>An error whose message is complete for the user (no stack trace is shown).</summary>
public sealed class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
