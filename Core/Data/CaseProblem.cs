namespace Pipeline.Core.Data;

/// <summary>One reason a case cannot be used, with the file it concerns.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="File">The file at fault (absolute path), or null when the problem concerns the case as a whole.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record CaseProblem(string CaseId, string? File, string Message)
{
    /// <inheritdoc />
    public override string ToString() => File is null ? $"case '{CaseId}': {Message}" : $"case '{CaseId}' ({File}): {Message}";
}
