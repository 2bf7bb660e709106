namespace Pipeline.Cli.Cli;

/// <summary>Where commands write results (stdout) and errors (stderr); injectable so tests can capture them.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Errors.</param>
public sealed record CliOutput(TextWriter Out, TextWriter Error);
