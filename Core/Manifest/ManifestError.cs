namespace Pipeline.Core.Manifest;

/// <summary>One problem found in a manifest or its overrides.</summary>
/// <param name="Location">Where the offending value is (or, for a missing key, the mapping that lacks it).</param>
/// <param name="Path">
/// Key path of the value, e.g. <c>stages[1].options.roi_size</c>; empty for problems that concern the whole text
/// (YAML syntax, an empty file).
/// </param>
/// <param name="Message">What is wrong and, where it helps, what would be valid.</param>
public sealed record ManifestError(SourceLocation Location, string Path, string Message)
{
    /// <summary>
    /// <c>FILE:LINE:COL: path: message</c> (the form editors and terminals turn into links), with
    /// <c>--set TEXT</c> in place of <c>FILE:LINE:COL</c> for override values, and without <c>path: </c> when the
    /// path is empty.
    /// </summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}
