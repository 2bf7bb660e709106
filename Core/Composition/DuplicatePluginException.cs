using Pipeline.Core.Plugins;

namespace Pipeline.Core.Composition;

/// <summary>Two plugins of the same kind share a name; names must be unique per kind.</summary>
public sealed class DuplicatePluginException(PluginKind kind, string name, IReadOnlyList<string> assemblies)
    : Exception($"Two or more {kind.ToString().ToLowerInvariant()} plugins are named '{name}': " +
                string.Join(" and ", assemblies) + ". Remove one of them or rename it.")
{
    /// <summary>The assemblies that export the name.</summary>
    public IReadOnlyList<string> Assemblies { get; } = assemblies;
}
