using System.Composition;

namespace Pipeline.Core.Plugins;

// Each export attribute is an ExportAttribute that is also a MetadataAttribute (as Roslyn's exports are): MEF reads
// Name, Version and Description into PluginMetadata without constructing the part. System.Composition only reads
// metadata properties declared on the attribute class itself, so each class declares its own.

/// <summary>Exports an <see cref="IBackbone"/> with its name, version and one-line description.</summary>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportBackboneAttribute(string name, string version, string description) : ExportAttribute(typeof(IBackbone))
{
    /// <summary>Name used in YAML and on the CLI.</summary>
    public string Name { get; } = name;
    /// <summary>Semantic version.</summary>
    public string Version { get; } = version;
    /// <summary>One line for listings.</summary>
    public string Description { get; } = description;
}

/// <summary>Exports an <see cref="IDatasetProvider"/> with its name, version and one-line description.</summary>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportDatasetAttribute(string name, string version, string description) : ExportAttribute(typeof(IDatasetProvider))
{
    /// <summary>Name used in YAML and on the CLI.</summary>
    public string Name { get; } = name;
    /// <summary>Semantic version.</summary>
    public string Version { get; } = version;
    /// <summary>One line for listings.</summary>
    public string Description { get; } = description;
}

/// <summary>Exports an <see cref="IWeightPrior"/> with its name, version and one-line description.</summary>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportPriorAttribute(string name, string version, string description) : ExportAttribute(typeof(IWeightPrior))
{
    /// <summary>Name used in YAML and on the CLI.</summary>
    public string Name { get; } = name;
    /// <summary>Semantic version.</summary>
    public string Version { get; } = version;
    /// <summary>One line for listings.</summary>
    public string Description { get; } = description;
}

/// <summary>Exports an <see cref="IStage"/> with its name, version and one-line description.</summary>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportStageAttribute(string name, string version, string description) : ExportAttribute(typeof(IStage))
{
    /// <summary>Name used in YAML and on the CLI.</summary>
    public string Name { get; } = name;
    /// <summary>Semantic version.</summary>
    public string Version { get; } = version;
    /// <summary>One line for listings.</summary>
    public string Description { get; } = description;
}
