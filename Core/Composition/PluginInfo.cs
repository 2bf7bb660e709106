using Pipeline.Core.Plugins;

namespace Pipeline.Core.Composition;

/// <summary>A discovered plugin, described without constructing it.</summary>
/// <param name="Kind">Extension point.</param>
/// <param name="Name">Name used in YAML and on the CLI.</param>
/// <param name="Version">Plugin version.</param>
/// <param name="Description">One line.</param>
/// <param name="AssemblyPath">Where the plugin's assembly was loaded from.</param>
public sealed record PluginInfo(PluginKind Kind, string Name, string Version, string Description, string AssemblyPath);
