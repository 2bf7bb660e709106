using System.Composition;

namespace Pipeline.Core.Plugins;

/// <summary>
/// Base of the export attributes: an <see cref="ExportAttribute"/> that also carries the plugin's metadata
/// (name, version, description), read through <see cref="PluginMetadata"/> without building the part.
/// </summary>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public abstract class PluginExportAttribute : ExportAttribute
{
    /// <param name="contract">The contract interface this plugin implements.</param>
    /// <param name="name">Name used in YAML and on the CLI (lower-case, dashes).</param>
    /// <param name="version">Semantic version of the plugin.</param>
    /// <param name="description">One line for listings.</param>
    protected PluginExportAttribute(Type contract, string name, string version, string description) : base(contract)
    {
        Name = name;
        Version = version;
        Description = description;
    }

    /// <summary>Name used in YAML and on the CLI.</summary>
    public string Name { get; }

    /// <summary>Semantic version of the plugin.</summary>
    public string Version { get; }

    /// <summary>One-line description.</summary>
    public string Description { get; }
}

/// <summary>Exports an <see cref="IBackbone"/>.</summary>
public sealed class ExportBackboneAttribute(string name, string version, string description)
    : PluginExportAttribute(typeof(IBackbone), name, version, description);

/// <summary>Exports an <see cref="IDatasetProvider"/>.</summary>
public sealed class ExportDatasetAttribute(string name, string version, string description)
    : PluginExportAttribute(typeof(IDatasetProvider), name, version, description);

/// <summary>Exports an <see cref="IWeightPrior"/>.</summary>
public sealed class ExportPriorAttribute(string name, string version, string description)
    : PluginExportAttribute(typeof(IWeightPrior), name, version, description);

/// <summary>Exports an <see cref="IStage"/>.</summary>
public sealed class ExportStageAttribute(string name, string version, string description)
    : PluginExportAttribute(typeof(IStage), name, version, description);
