using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Applies <c>--set path.to.key=value</c> overrides to a manifest's node tree before binding, in order (a later
/// override of the same key wins).
/// </summary>
/// <remarks>
/// Path segments are mapping keys. In a sequence, a segment of digits is an index and any other segment names the
/// item whose <c>name</c> is that text, so <c>stages.train.options.iterations=5</c> and
/// <c>stages.0.options.iterations=5</c> both work; <c>datasets.phantoms.options.cases=4</c> follows mapping keys.
/// Missing mappings on the way are created, and a null value (<c>options:</c> with nothing after it) counts as
/// missing. The value is parsed as YAML, so <c>5</c>, <c>true</c>, <c>[16, 32]</c>, <c>{a: 1}</c> and plain text all
/// work. Every node an override adds is marked in the <see cref="NodeLocator"/>, so later errors point at
/// <c>--set TEXT</c>.
/// </remarks>
internal sealed class OverrideApplier(ManifestDiagnostics diagnostics)
{
    /// <summary>Applies each override to <paramref name="root"/>; malformed ones are reported and skipped.</summary>
    public void Apply(YamlMappingNode root, IReadOnlyList<string> overrides)
    {
        foreach (var text in overrides)
        {
            var parsed = ManifestOverride.TryParse(text, out var problem);
            if (parsed is null)
            {
                Report(text, "", problem!);
                continue;
            }
            var value = ParseValue(parsed);
            if (value is not null)
                Apply(root, parsed, value);
        }
    }

    private YamlNode? ParseValue(ManifestOverride parsed)
    {
        var location = SourceLocation.FromOverride(diagnostics.Locator.SourceName, parsed.Text);
        var stream = ManifestYamlReader.ParseStream(parsed.ValueText, diagnostics, location);
        if (stream is null)
            return null;
        if (stream.Documents.Count > 1)
        {
            Report(parsed.Text, parsed.Path, "the value holds several YAML documents; give one value");
            return null;
        }
        // "key=" gives no document at all: YAML's empty value, null.
        var value = stream.Documents.Count == 0
            ? new YamlScalarNode("") { Style = ScalarStyle.Plain }
            : stream.Documents[0].RootNode;
        diagnostics.Locator.MarkFromOverride(value, parsed.Text);
        return value;
    }

    private void Apply(YamlMappingNode root, ManifestOverride parsed, YamlNode value)
    {
        YamlNode container = root;
        var segments = parsed.Segments;
        for (var depth = 0; depth < segments.Count - 1; depth++)
        {
            var next = Descend(container, segments[depth], parsed, SegmentsPath(segments, depth));
            if (next is null)
                return;
            container = next;
        }
        Assign(container, segments[^1], value, parsed, SegmentsPath(segments, segments.Count - 1));
    }

    /// <summary>The child of <paramref name="container"/> at <paramref name="segment"/>, created when missing.</summary>
    private YamlNode? Descend(YamlNode container, string segment, ManifestOverride parsed, string containerPath)
    {
        switch (container)
        {
            case YamlMappingNode mapping:
                var existing = YamlNodes.Child(mapping, segment);
                if (existing is YamlMappingNode or YamlSequenceNode)
                    return existing;
                if (existing is not null && !YamlNodes.IsNull(existing))
                {
                    Report(parsed.Text, parsed.Path,
                        $"cannot set a key inside '{KeyPath.Key(containerPath, segment)}': it holds the scalar {YamlNodes.Describe(existing)}");
                    return null;
                }
                var created = new YamlMappingNode();
                SetMappingValue(mapping, segment, created, parsed.Text);
                return created;
            case YamlSequenceNode sequence:
                var index = FindItem(sequence, segment, parsed, containerPath);
                return index is null ? null : sequence.Children[index.Value];
            default:
                Report(parsed.Text, parsed.Path,
                    $"cannot set a key inside '{containerPath}': it holds the scalar {YamlNodes.Describe(container)}");
                return null;
        }
    }

    private void Assign(YamlNode container, string segment, YamlNode value, ManifestOverride parsed, string containerPath)
    {
        switch (container)
        {
            case YamlMappingNode mapping:
                SetMappingValue(mapping, segment, value, parsed.Text);
                break;
            case YamlSequenceNode sequence when FindItem(sequence, segment, parsed, containerPath) is { } index:
                sequence.Children[index] = value;
                break;
            case YamlSequenceNode:
                break;
            default:
                Report(parsed.Text, parsed.Path,
                    $"cannot set a key inside '{containerPath}': it holds the scalar {YamlNodes.Describe(container)}");
                break;
        }
    }

    private void SetMappingValue(YamlMappingNode mapping, string key, YamlNode value, string overrideText)
    {
        // The existing key node keeps its place (and its file position); only the value is replaced.
        var existingKey = mapping.Children.Keys.FirstOrDefault(node => node is YamlScalarNode { Value: var text } && text == key);
        if (existingKey is not null)
        {
            mapping.Children[existingKey] = value;
            return;
        }
        var newKey = new YamlScalarNode(key);
        diagnostics.Locator.MarkFromOverride(newKey, overrideText);
        mapping.Add(newKey, value);
    }

    /// <summary>An item by index (all digits) or by its <c>name</c> key; null with the problem reported.</summary>
    private int? FindItem(YamlSequenceNode sequence, string segment, ManifestOverride parsed, string sequencePath)
    {
        var count = sequence.Children.Count;
        if (segment.All(char.IsAsciiDigit))
        {
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < count)
                return index;
            Report(parsed.Text, parsed.Path, $"index {segment} is out of range: '{sequencePath}' has {count} item(s)");
            return null;
        }

        var names = new List<string>();
        for (var index = 0; index < count; index++)
        {
            if (sequence.Children[index] is YamlMappingNode item && YamlNodes.Child(item, "name") is YamlScalarNode { Value: { } name })
            {
                if (name == segment)
                    return index;
                names.Add(name);
            }
        }
        var known = names.Count == 0 ? "(no named items)" : string.Join(", ", names);
        var byIndex = count == 0 ? "it is empty" : $"or use an index from 0 to {count - 1}";
        Report(parsed.Text, parsed.Path, $"'{sequencePath}' has no item named '{segment}'; names: {known}; {byIndex}");
        return null;
    }

    private void Report(string overrideText, string path, string message) =>
        diagnostics.Report(SourceLocation.FromOverride(diagnostics.Locator.SourceName, overrideText), path, message);

    private static string SegmentsPath(IReadOnlyList<string> segments, int count) => string.Join('.', segments.Take(count));
}
