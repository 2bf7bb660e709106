using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Collects the problems of one manifest load so that all of them are reported together, each located through a
/// <see cref="NodeLocator"/>.
/// </summary>
public sealed class ManifestDiagnostics
{
    private readonly List<ManifestError> errors = [];

    /// <param name="locator">Resolves nodes to file positions or override texts.</param>
    public ManifestDiagnostics(NodeLocator locator) => Locator = locator;

    /// <summary>Resolves nodes to file positions or override texts.</summary>
    public NodeLocator Locator { get; }

    /// <summary>The problems reported so far, in the order they were found.</summary>
    public IReadOnlyList<ManifestError> Errors => errors;

    /// <summary>True once any problem was reported.</summary>
    public bool HasErrors => errors.Count > 0;

    /// <summary>Reports a problem with the value at <paramref name="node"/>.</summary>
    /// <param name="node">The offending node (or the mapping that lacks a key).</param>
    /// <param name="path">Key path, e.g. <c>stages[0].options.iterations</c>.</param>
    /// <param name="message">What is wrong.</param>
    public void Report(YamlNode node, string path, string message) => Report(Locator.Locate(node), path, message);

    /// <summary>Reports a problem at an explicit location.</summary>
    public void Report(SourceLocation location, string path, string message) =>
        errors.Add(new ManifestError(location, path, message));

    /// <summary>
    /// Throws a <see cref="ManifestException"/> with every problem, sorted by line and column so they read top to
    /// bottom like the file; problems located at overrides follow, in the order they were found.
    /// </summary>
    public void ThrowIfAny()
    {
        if (!HasErrors)
            return;
        var sorted = errors
            .OrderBy(error => error.Location.IsOverride)
            .ThenBy(error => error.Location.Line)
            .ThenBy(error => error.Location.Column)
            .ToList();
        throw new ManifestException(sorted);
    }
}
