using Pipeline.Core.Plugins;

namespace Pipeline.Core.Manifest;

/// <summary>A plugin chosen by the manifest, with its options bound and validated.</summary>
public sealed class PluginSection
{
    /// <summary>The extension point the plugin fills.</summary>
    public required PluginKind Kind { get; init; }

    /// <summary>The plugin's name in the catalog, e.g. <c>3d-ux-net</c>.</summary>
    public required string Plugin { get; init; }

    /// <summary>An instance of the plugin's <see cref="IConfigurablePlugin.OptionsType"/>, defaults filled in.</summary>
    public required object Options { get; init; }

    /// <summary>Where the section starts in the manifest (for runtime errors that point back at it).</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Key path of the section, e.g. <c>model</c>, <c>datasets.phantoms</c>, <c>stages[1]</c>.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// A dataset's <c>preprocess</c> list (deterministic transforms applied to every case as it is loaded), already
    /// checked against the transform registry; null when the section has none.
    /// </summary>
    public YamlDotNet.RepresentationModel.YamlSequenceNode? Preprocess { get; init; }

    /// <summary>A stage's <c>augment</c> list (transforms applied to each training patch), checked; null when absent.</summary>
    public YamlDotNet.RepresentationModel.YamlSequenceNode? Augment { get; init; }
}
