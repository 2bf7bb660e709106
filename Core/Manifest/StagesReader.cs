using System.Collections.Immutable;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>A stage as read; <see cref="Section"/> is null when its plugin or section could not be used.</summary>
/// <param name="Name">The stage name, or null when missing or invalid.</param>
/// <param name="Section">The plugin section, or null.</param>
internal sealed record StageReadResult(string? Name, SectionReadResult? Section);

/// <summary>
/// Reads the <c>stages</c> sequence: each item is <c>{ name, plugin, options }</c> with a stage plugin; names are
/// valid and unique, and there is at least one stage.
/// </summary>
internal sealed class StagesReader(PluginSectionReader sections, ManifestDiagnostics diagnostics)
{
    private const string NameKey = "name";
    /// <summary>The key of a stage's augmentation list.</summary>
    public const string AugmentKey = "augment";

    private static readonly ImmutableArray<string> StageKeys = [NameKey, "plugin", PluginSectionReader.OptionsKey, AugmentKey];

    /// <summary>The stages in order (one result per item, so indexes match the YAML).</summary>
    /// <param name="node">The <c>stages</c> value, or null when the key is absent.</param>
    /// <param name="owner">The top-level mapping (where "missing" errors point).</param>
    public List<StageReadResult> Read(YamlNode? node, YamlNode owner)
    {
        const string path = "stages";
        if (node is null || YamlNodes.IsNull(node))
        {
            diagnostics.Report(node ?? owner, path, "at least one stage is required");
            return [];
        }
        if (node is not YamlSequenceNode sequence)
        {
            diagnostics.Report(node, path, $"expected a sequence of stages, got {YamlNodes.Describe(node)}");
            return [];
        }
        if (sequence.Children.Count == 0)
            diagnostics.Report(sequence, path, "at least one stage is required");

        var firstByName = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var stages = new List<StageReadResult>(sequence.Children.Count);
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            var item = sequence.Children[index];
            var itemPath = KeyPath.Index(path, index);
            var name = ReadName(item, itemPath, firstByName);
            var section = sections.Read(item, itemPath, PluginKind.Stage, "plugin", StageKeys);
            var augment = TransformListSection.Read(item, AugmentKey, KeyPath.Key(itemPath, AugmentKey), deterministicOnly: false, diagnostics);
            if (section is not null && augment is not null)
                section = section with
                {
                    Section = new PluginSection
                    {
                        Kind = section.Section.Kind, Plugin = section.Section.Plugin, Options = section.Section.Options,
                        Location = section.Section.Location, Path = section.Section.Path, Augment = augment,
                    },
                };
            stages.Add(new StageReadResult(name, section));
        }
        return stages;
    }

    private string? ReadName(YamlNode item, string itemPath, Dictionary<string, YamlNode> firstByName)
    {
        if (item is not YamlMappingNode mapping)
            return null; // the section reader reports the shape
        var namePath = KeyPath.Key(itemPath, NameKey);
        var nameNode = YamlNodes.Child(mapping, NameKey);
        if (nameNode is null)
        {
            diagnostics.Report(mapping, namePath, $"missing required key '{NameKey}'");
            return null;
        }
        if (YamlNodes.IsNull(nameNode) || nameNode is not YamlScalarNode { Value: { } name })
        {
            diagnostics.Report(nameNode, namePath, $"expected a stage name, got {YamlNodes.Describe(nameNode)}");
            return null;
        }
        if (ManifestNames.CheckMemberName(name, "stage") is { } problem)
        {
            diagnostics.Report(nameNode, namePath, problem);
            return null;
        }
        if (firstByName.TryGetValue(name, out var first))
        {
            diagnostics.Report(nameNode, namePath,
                $"duplicate stage name '{name}' (first used at {diagnostics.Locator.Locate(first)}); stage names must be unique");
            return null;
        }
        firstByName[name] = nameNode;
        return name;
    }
}
