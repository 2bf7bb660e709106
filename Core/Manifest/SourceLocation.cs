namespace Pipeline.Core.Manifest;

/// <summary>
/// Where a manifest value came from: a line and column of the manifest (1-based, as editors count), or the
/// <c>--set</c> override that introduced it.
/// </summary>
public sealed record SourceLocation
{
    private SourceLocation(string source, int line, int column, string? overrideText)
    {
        Source = source;
        Line = line;
        Column = column;
        Override = overrideText;
    }

    /// <summary>The manifest file (as given to the loader) or the source name passed to <c>Parse</c>.</summary>
    public string Source { get; }

    /// <summary>1-based line in <see cref="Source"/>; 0 when the value came from an override.</summary>
    public int Line { get; }

    /// <summary>1-based column in <see cref="Source"/>; 0 when the value came from an override.</summary>
    public int Column { get; }

    /// <summary>The full <c>--set</c> text that introduced the value, or null when it was written in the file.</summary>
    public string? Override { get; }

    /// <summary>True when the value came from a <c>--set</c> override rather than the file.</summary>
    public bool IsOverride => Override is not null;

    /// <summary>A position in the manifest text.</summary>
    /// <param name="source">File path or source name.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    public static SourceLocation InFile(string source, int line, int column) => new(source, line, column, null);

    /// <summary>A value introduced by the override <paramref name="overrideText"/> (<c>path=value</c>).</summary>
    public static SourceLocation FromOverride(string source, string overrideText) => new(source, 0, 0, overrideText);

    /// <summary><c>FILE:LINE:COL</c>, or <c>--set TEXT</c> for override values.</summary>
    public override string ToString() => IsOverride ? $"--set {Override}" : $"{Source}:{Line}:{Column}";
}
