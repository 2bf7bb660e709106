using System.Text.RegularExpressions;

namespace Pipeline.Core.Manifest;

/// <summary>The rules for names written in a manifest.</summary>
internal static partial class ManifestNames
{
    /// <summary>
    /// A pipeline name becomes a folder name: letters, digits, '.', '_' and '-', and not "." or "..".
    /// Returns the problem, or null when valid.
    /// </summary>
    public static string? CheckPipelineName(string name) =>
        PipelineNamePattern().IsMatch(name) && name is not ("." or "..")
            ? null
            : $"'{name}' is not a valid pipeline name: use letters, digits, '.', '_' and '-' (it becomes a folder name)";

    /// <summary>
    /// Stage and dataset names become folder names and <c>--set</c> path segments, where dots separate keys and
    /// digits mean an index: so they start with a letter and use letters, digits, '_' and '-'.
    /// Returns the problem, or null when valid.
    /// </summary>
    public static string? CheckMemberName(string name, string what) =>
        MemberNamePattern().IsMatch(name)
            ? null
            : $"'{name}' is not a valid {what} name: start with a letter, then use letters, digits, '_' and '-'";

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex PipelineNamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex MemberNamePattern();
}
