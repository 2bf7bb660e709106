using Pipeline.Core.Plugins;

namespace Pipeline.Core.Composition;

/// <summary>The plugins found at start-up, listed lazily and constructed on first use.</summary>
public interface IPluginCatalog
{
    /// <summary>Every plugin found, in kind then name order. Listing constructs none of them.</summary>
    IReadOnlyList<PluginInfo> Plugins { get; }

    /// <summary>Plugin folders or files that failed to load, with the reason (the others still work).</summary>
    IReadOnlyList<PluginLoadFailure> Failures { get; }

    /// <summary>True when a plugin of <paramref name="kind"/> named <paramref name="name"/> exists.</summary>
    bool Contains(PluginKind kind, string name);

    /// <summary>
    /// The plugin of <paramref name="kind"/> named <paramref name="name"/>, constructed on first use. Throws
    /// <see cref="UnknownPluginException"/> listing the available names when there is none.
    /// </summary>
    IConfigurablePlugin Get(PluginKind kind, string name);
}

/// <summary>A plugin file that could not be loaded.</summary>
/// <param name="Path">The assembly or folder.</param>
/// <param name="Reason">What went wrong.</param>
public sealed record PluginLoadFailure(string Path, string Reason);

/// <summary>No plugin of a kind has the requested name.</summary>
public sealed class UnknownPluginException(PluginKind kind, string name, IReadOnlyList<string> available)
    : Exception($"Unknown {kind.ToString().ToLowerInvariant()} plugin '{name}'. Available: " +
                (available.Count == 0 ? "(none)" : string.Join(", ", available)) + ".")
{
    /// <summary>The kind asked for.</summary>
    public PluginKind Kind { get; } = kind;

    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;

    /// <summary>The names that exist for that kind.</summary>
    public IReadOnlyList<string> Available { get; } = available;
}
