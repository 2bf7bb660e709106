namespace Pipeline.Core.Manifest;

/// <summary>
/// A loaded, fully validated pipeline manifest: every plugin exists with the right kind, every option is bound
/// (defaults filled in, overrides applied), and every dataset and stage reference resolves.
/// </summary>
public sealed class PipelineManifest
{
    /// <summary>The pipeline's name (<c>[A-Za-z0-9._-]+</c>; it becomes a folder name).</summary>
    public required string Name { get; init; }

    /// <summary>Random seed for the whole run (default 0).</summary>
    public required long Seed { get; init; }

    /// <summary>Where tensors live (default <see cref="ComputeDevice.Auto"/>).</summary>
    public required ComputeDevice Device { get; init; }

    /// <summary>Absolute folder runs are written under (YAML <c>output_root</c>, relative to the manifest's folder).</summary>
    public required string OutputRoot { get; init; }

    /// <summary>Declared datasets by name, in declaration order.</summary>
    public required IReadOnlyDictionary<string, PluginSection> Datasets { get; init; }

    /// <summary>The segmentation network (YAML <c>model.backbone</c>).</summary>
    public required PluginSection Model { get; init; }

    /// <summary>The weight prior; plugin <c>none</c> when the manifest has no <c>prior</c> section.</summary>
    public required PluginSection Prior { get; init; }

    /// <summary>The stages in run order (at least one; names unique).</summary>
    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    /// <summary>The manifest file (as given to the loader) or source name it was parsed from.</summary>
    public required string Source { get; init; }
}
