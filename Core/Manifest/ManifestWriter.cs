using Pipeline.Core.IO;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Writes the resolved form of a manifest: every option as bound (class defaults filled in, overrides applied),
/// snake_case keys, a stable order (top-level keys as documented, datasets and dictionaries in declaration order,
/// options in property declaration order), <c>output_root</c> as an absolute path. Loading the result with
/// <see cref="ManifestLoader"/> gives an equal manifest, which is what makes a run folder reproducible on its own.
/// </summary>
public static class ManifestWriter
{
    /// <summary>The resolved YAML text of <paramref name="manifest"/>.</summary>
    public static string ToYaml(PipelineManifest manifest)
    {
        var root = new YamlMappingNode
        {
            { "name", OptionsYamlWriter.String(manifest.Name) },
            { "seed", manifest.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            { "device", SnakeCase.From(manifest.Device.ToString()) },
            { "output_root", OptionsYamlWriter.String(manifest.OutputRoot) },
        };

        var datasets = new YamlMappingNode();
        foreach (var (name, dataset) in manifest.Datasets)
            datasets.Add(name, Section("plugin", dataset));
        root.Add("datasets", datasets);
        root.Add("model", Section("backbone", manifest.Model));
        root.Add("prior", Section("plugin", manifest.Prior));

        var stages = new YamlSequenceNode();
        foreach (var stage in manifest.Stages)
        {
            var section = Section("plugin", stage.Section);
            section.Children.Insert(0, new YamlScalarNode("name"), OptionsYamlWriter.String(stage.Name));
            stages.Add(section);
        }
        root.Add("stages", stages);

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return WithoutDocumentEndMarker(writer.ToString());
    }

    /// <summary>
    /// The resolved YAML of one plugin section as <see cref="ToYaml"/> writes it (e.g. a dataset's plugin, every
    /// option and its preprocess list): equal texts mean equal bound sections.
    /// </summary>
    public static string SectionYaml(PluginSection section)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(Section("plugin", section))).Save(writer, assignAnchors: false);
        return WithoutDocumentEndMarker(writer.ToString());
    }

    /// <summary>Writes <see cref="ToYaml"/> to <paramref name="path"/> atomically (readers never see half a file).</summary>
    public static void WriteFile(PipelineManifest manifest, string path) =>
        AtomicFile.WriteAllText(path, ToYaml(manifest));

    // The bound options object is an instance of the plugin's options type, so its runtime type is that type.
    private static YamlMappingNode Section(string pluginKey, PluginSection section)
    {
        var mapping = new YamlMappingNode
        {
            { pluginKey, OptionsYamlWriter.String(section.Plugin) },
            { PluginSectionReader.OptionsKey, OptionsYamlWriter.ToMapping(section.Options, section.Options.GetType()) },
        };
        if (section.Preprocess is not null) mapping.Add(DatasetsReader.PreprocessKey, section.Preprocess);
        if (section.Augment is not null) mapping.Add(StagesReader.AugmentKey, section.Augment);
        return mapping;
    }

    // YamlStream.Save ends every document with an explicit "..." line, which a single-document file does not need.
    private static string WithoutDocumentEndMarker(string yaml)
    {
        var trimmed = yaml.TrimEnd();
        return trimmed.EndsWith("...", StringComparison.Ordinal)
            ? trimmed[..^3].TrimEnd() + "\n"
            : trimmed + "\n";
    }
}
