using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>A mapping entry whose key is plain text.</summary>
/// <param name="Key">The key text.</param>
/// <param name="KeyNode">The key's node (where "unknown key" errors point).</param>
/// <param name="Value">The value's node.</param>
internal readonly record struct MappingEntry(string Key, YamlNode KeyNode, YamlNode Value);

/// <summary>Small questions asked of YAML nodes by every reader of the manifest tree.</summary>
internal static class YamlNodes
{
    private const string NullTag = "tag:yaml.org,2002:null";

    /// <summary>
    /// True for YAML's null: an untagged plain scalar that is empty, <c>~</c> or null/Null/NULL (YAML 1.2 core
    /// schema). A quoted <c>"null"</c> is a string.
    /// </summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
        && (scalar.Tag.IsEmpty || scalar.Tag.Value == NullTag)
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>How a node is shown after "got" in messages: <c>'abc'</c>, <c>null</c>, a sequence, a mapping.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        _ when IsNull(node) => "null",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a sequence",
        YamlMappingNode => "a mapping",
        _ => "an unsupported node",
    };

    /// <summary>
    /// The entries of <paramref name="mapping"/>, in order. A key that is not a scalar (YAML allows sequences and
    /// mappings as keys) is reported and skipped.
    /// </summary>
    public static List<MappingEntry> Entries(YamlMappingNode mapping, string path, ManifestDiagnostics diagnostics)
    {
        var entries = new List<MappingEntry>(mapping.Children.Count);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is YamlScalarNode scalarKey)
                entries.Add(new MappingEntry(scalarKey.Value ?? "", keyNode, value));
            else
                diagnostics.Report(keyNode, path, $"keys must be plain text, got {Describe(keyNode)}");
        }
        return entries;
    }

    /// <summary>The value under <paramref name="key"/>, or null when the mapping has no such key.</summary>
    public static YamlNode? Child(YamlMappingNode mapping, string key)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: var text } && text == key)
                return value;
        }
        return null;
    }
}
