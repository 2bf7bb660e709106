using System.Collections.Immutable;
using Pipeline.Core.Composition;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Turns the (overridden) top-level mapping into a <see cref="PipelineManifest"/>: header values, datasets, model,
/// prior and stages, then the cross-references between them. Reports every problem and returns null when there was
/// any.
/// </summary>
internal sealed class ManifestModelBuilder
{
    private const string DefaultPrior = "none";
    private const string DefaultOutputRoot = "runs";

    private static readonly ImmutableArray<string> TopLevelKeys =
        ["name", "seed", "device", "output_root", "datasets", "model", "prior", "stages"];
    private static readonly ImmutableArray<string> ModelKeys = ["backbone", PluginSectionReader.OptionsKey];
    private static readonly ImmutableArray<string> PriorKeys = ["plugin", PluginSectionReader.OptionsKey];

    private readonly ManifestDiagnostics diagnostics;
    private readonly OptionsBinder binder;
    private readonly PluginSectionReader sections;
    private readonly string baseDirectory;

    /// <param name="catalog">Where plugins and their options types come from.</param>
    /// <param name="diagnostics">Receives every problem.</param>
    /// <param name="baseDirectory">The folder a relative <c>output_root</c> is resolved against.</param>
    public ManifestModelBuilder(IPluginCatalog catalog, ManifestDiagnostics diagnostics, string baseDirectory)
    {
        this.diagnostics = diagnostics;
        this.baseDirectory = baseDirectory;
        binder = new OptionsBinder(diagnostics);
        sections = new PluginSectionReader(new PluginResolver(catalog, diagnostics), binder, diagnostics);
    }

    /// <summary>The manifest, or null when any problem was reported (including earlier ones, e.g. from overrides).</summary>
    public PipelineManifest? Build(YamlMappingNode root)
    {
        var entries = ReadTopLevel(root);
        var name = ReadName(entries.GetValueOrDefault("name"), root);
        var seed = ReadValue(entries.GetValueOrDefault("seed"), "seed", 0L);
        var device = ReadValue(entries.GetValueOrDefault("device"), "device", ComputeDevice.Auto);
        var outputRoot = ReadOutputRoot(entries.GetValueOrDefault("output_root"));
        var (datasetNames, datasets) = new DatasetsReader(sections, diagnostics).Read(entries.GetValueOrDefault("datasets"));
        var model = ReadModel(entries.GetValueOrDefault("model"), root);
        var prior = entries.GetValueOrDefault("prior") is { } priorNode
            ? sections.Read(priorNode, "prior", PluginKind.Prior, "plugin", PriorKeys)
            : sections.ReadDefault(PluginKind.Prior, DefaultPrior, root, "prior");
        var stages = new StagesReader(sections, diagnostics).Read(entries.GetValueOrDefault("stages"), root);

        CheckReferences(datasetNames, datasets, model, prior, stages);
        if (diagnostics.HasErrors || name is null || model is null || prior is null)
            return null;

        var datasetSections = new OrderedDictionary<string, PluginSection>(StringComparer.Ordinal);
        foreach (var (datasetName, dataset) in datasets)
            datasetSections.Add(datasetName, dataset.Section);
        return new PipelineManifest
        {
            Name = name,
            Seed = seed,
            Device = device,
            OutputRoot = outputRoot,
            Datasets = datasetSections,
            Model = model.Section,
            Prior = prior.Section,
            Stages = stages.Select(stage => new StageDefinition { Name = stage.Name!, Section = stage.Section!.Section }).ToList(),
            Source = diagnostics.Locator.SourceName,
        };
    }

    private Dictionary<string, YamlNode> ReadTopLevel(YamlMappingNode root)
    {
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var entry in YamlNodes.Entries(root, "", diagnostics))
        {
            if (TopLevelKeys.Contains(entry.Key))
                entries[entry.Key] = entry.Value;
            else
                diagnostics.Report(entry.KeyNode, entry.Key, KeySuggestions.UnknownKey(entry.Key, TopLevelKeys));
        }
        return entries;
    }

    private string? ReadName(YamlNode? node, YamlMappingNode root)
    {
        const string path = "name";
        if (node is null)
        {
            diagnostics.Report(root, path, "missing required key 'name'");
            return null;
        }
        if (!binder.TryBindValue(typeof(string), node, path, out var value))
            return null;
        var name = (string)value!;
        if (ManifestNames.CheckPipelineName(name) is { } problem)
        {
            diagnostics.Report(node, path, problem);
            return null;
        }
        return name;
    }

    private T ReadValue<T>(YamlNode? node, string path, T defaultValue) where T : notnull =>
        node is not null && binder.TryBindValue(typeof(T), node, path, out var value) ? (T)value! : defaultValue;

    private string ReadOutputRoot(YamlNode? node)
    {
        var relative = ReadValue(node, "output_root", DefaultOutputRoot);
        if (relative.Length == 0)
        {
            diagnostics.Report(node!, "output_root", "must not be empty; leave the key out for the default 'runs'");
            relative = DefaultOutputRoot;
        }
        return Path.GetFullPath(Path.Combine(baseDirectory, relative));
    }

    private SectionReadResult? ReadModel(YamlNode? node, YamlMappingNode root)
    {
        if (node is not null)
            return sections.Read(node, "model", PluginKind.Backbone, "backbone", ModelKeys);
        diagnostics.Report(root, "model", "missing required key 'model'");
        return null;
    }

    private void CheckReferences(
        List<string> datasetNames, List<(string Name, SectionReadResult Section)> datasets,
        SectionReadResult? model, SectionReadResult? prior, List<StageReadResult> stages)
    {
        var validator = new ReferenceValidator(diagnostics);
        var stageNames = stages.Select(stage => stage.Name).ToList();
        var outsideStages = datasets.Select(dataset => dataset.Section).Append(model).Append(prior).OfType<SectionReadResult>();
        foreach (var section in outsideStages)
            validator.Check(section.References, datasetNames, stageNames, stageIndex: null);
        for (var index = 0; index < stages.Count; index++)
        {
            if (stages[index].Section is { } stage)
                validator.Check(stage.References, datasetNames, stageNames, index);
        }
    }
}
