using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Turns YAML nodes into <see cref="SourceLocation"/>s. Nodes parsed from the file carry their own start mark; nodes
/// created by a <c>--set</c> override are remembered here, because their marks would point into the override text.
/// </summary>
public sealed class NodeLocator
{
    // YamlNode overrides Equals structurally; origins must follow node identity.
    private readonly Dictionary<YamlNode, string> overrideOrigins = new(ReferenceEqualityComparer.Instance);

    /// <param name="sourceName">The manifest file or source name that locations refer to.</param>
    public NodeLocator(string sourceName) => SourceName = sourceName;

    /// <summary>The manifest file or source name that locations refer to.</summary>
    public string SourceName { get; }

    /// <summary>The start of the manifest text (line 1, column 1), for problems that concern the whole text.</summary>
    public SourceLocation Start => SourceLocation.InFile(SourceName, 1, 1);

    /// <summary>Records that <paramref name="node"/> and everything under it came from an override.</summary>
    /// <param name="node">A node inserted into the manifest tree.</param>
    /// <param name="overrideText">The full override text, <c>path=value</c>.</param>
    public void MarkFromOverride(YamlNode node, string overrideText)
    {
        foreach (var inner in node.AllNodes)
            overrideOrigins[inner] = overrideText;
    }

    /// <summary>Where <paramref name="node"/> came from.</summary>
    public SourceLocation Locate(YamlNode node) =>
        overrideOrigins.TryGetValue(node, out var overrideText)
            ? SourceLocation.FromOverride(SourceName, overrideText)
            : SourceLocation.InFile(SourceName, checked((int)node.Start.Line), checked((int)node.Start.Column));
}
