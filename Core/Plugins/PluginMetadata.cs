namespace Pipeline.Core.Plugins;

/// <summary>
/// Metadata view read from an export without constructing the part (MEF fills it from the export attribute's
/// properties), so plugins can be listed and chosen by name lazily.
/// </summary>
public sealed class PluginMetadata
{
    /// <summary>Name used in YAML and on the CLI, e.g. <c>3d-ux-net</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Semantic version of the plugin.</summary>
    public string Version { get; set; } = "";

    /// <summary>One-line description shown by <c>pipeline plugins</c>.</summary>
    public string Description { get; set; } = "";
}
