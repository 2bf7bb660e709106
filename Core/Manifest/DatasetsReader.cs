using System.Collections.Immutable;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Reads the <c>datasets</c> mapping, name → <c>{ plugin, options, preprocess }</c> with dataset plugins. The section
/// may be absent (a pipeline that reads no data). <c>preprocess</c> is a list of deterministic transforms (see
/// docs/transforms.md); random ones (<c>rand_*</c>) belong to the train stage's augmentation and are rejected here.
/// </summary>
internal sealed class DatasetsReader(PluginSectionReader sections, ManifestDiagnostics diagnostics)
{
    /// <summary>The key of a dataset's preprocessing list.</summary>
    public const string PreprocessKey = "preprocess";

    private static readonly ImmutableArray<string> DatasetKeys = ["plugin", PluginSectionReader.OptionsKey, PreprocessKey];

    /// <summary>Every dataset name declared (valid ones, even when their section failed) and the usable sections.</summary>
    public (List<string> Declared, List<(string Name, SectionReadResult Section)> Sections) Read(YamlNode? node)
    {
        const string path = "datasets";
        var declared = new List<string>();
        var read = new List<(string, SectionReadResult)>();
        if (node is null || YamlNodes.IsNull(node))
            return (declared, read);
        if (node is not YamlMappingNode mapping)
        {
            diagnostics.Report(node, path, $"expected a mapping of dataset names to plugins, got {YamlNodes.Describe(node)}");
            return (declared, read);
        }

        foreach (var entry in YamlNodes.Entries(mapping, path, diagnostics))
        {
            var datasetPath = KeyPath.Key(path, entry.Key);
            if (ManifestNames.CheckMemberName(entry.Key, "dataset") is { } problem)
            {
                diagnostics.Report(entry.KeyNode, datasetPath, problem);
                continue;
            }
            declared.Add(entry.Key);
            var section = sections.Read(entry.Value, datasetPath, PluginKind.Dataset, "plugin", DatasetKeys);
            var preprocess = TransformListSection.Read(entry.Value, PreprocessKey, KeyPath.Key(datasetPath, PreprocessKey), deterministicOnly: true, diagnostics);
            if (section is not null)
                read.Add((entry.Key, preprocess is null ? section : section with { Section = WithPreprocess(section.Section, preprocess) }));
        }
        return (declared, read);
    }

    private static PluginSection WithPreprocess(PluginSection section, YamlSequenceNode preprocess) => new()
    {
        Kind = section.Kind,
        Plugin = section.Plugin,
        Options = section.Options,
        Location = section.Location,
        Path = section.Path,
        Preprocess = preprocess,
        Augment = section.Augment,
    };
}
