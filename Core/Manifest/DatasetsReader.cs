using System.Collections.Immutable;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Reads the <c>datasets</c> mapping, name → <c>{ plugin, options }</c> with dataset plugins. The section may be
/// absent (a pipeline that reads no data).
/// </summary>
internal sealed class DatasetsReader(PluginSectionReader sections, ManifestDiagnostics diagnostics)
{
    private static readonly ImmutableArray<string> DatasetKeys = ["plugin", PluginSectionReader.OptionsKey];

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
            if (section is not null)
                read.Add((entry.Key, section));
        }
        return (declared, read);
    }
}
