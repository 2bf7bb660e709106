namespace Pipeline.Core.Manifest;

/// <summary>
/// A manifest (or its overrides) is invalid. Carries every problem found, not just the first; the message lists them
/// one per line as <c>FILE:LINE:COL: path: message</c>.
/// </summary>
public sealed class ManifestException : Exception
{
    /// <param name="errors">The problems, at least one, in the order they should be shown.</param>
    public ManifestException(IReadOnlyList<ManifestError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        if (errors.Count == 0)
            throw new ArgumentException("A manifest exception needs at least one error.", nameof(errors));
        Errors = errors;
    }

    /// <summary>The problems, sorted by position in the file; override problems come last.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }
}
