using System.Composition;
using System.Composition.Hosting;
using System.Reflection;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Composition;

/// <summary>
/// The MEF (System.Composition) catalog of every plugin found. Each assembly gets its own container, so one broken
/// plugin is reported and the others still compose. Exports are imported as <c>Lazy&lt;T, PluginMetadata&gt;</c>:
/// listing reads metadata only, and a part is constructed the first time it is used.
/// </summary>
public sealed class PluginCatalog : IPluginCatalog, IDisposable
{
    private readonly List<CompositionHost> _containers = [];
    private readonly Dictionary<(PluginKind, string), (PluginInfo Info, Lazy<IConfigurablePlugin> Part)> _entries = new();
    private readonly List<PluginLoadFailure> _failures = [];

    /// <summary>Composes the plugins exported by <paramref name="assemblies"/>.</summary>
    /// <param name="assemblies">Candidate plugin assemblies (built-in and external).</param>
    /// <param name="loadFailures">Failures found while loading assemblies, reported alongside composition failures.</param>
    /// <exception cref="DuplicatePluginException">Two plugins of one kind share a name.</exception>
    public PluginCatalog(IEnumerable<Assembly> assemblies, IEnumerable<PluginLoadFailure>? loadFailures = null)
    {
        _failures.AddRange(loadFailures ?? []);
        var found = new List<(PluginInfo Info, Lazy<IConfigurablePlugin> Part)>();
        foreach (Assembly assembly in assemblies.Distinct())
        {
            try
            {
                CompositionHost container = new ContainerConfiguration().WithAssembly(assembly).CreateContainer();
                _containers.Add(container);
                found.AddRange(Exports<IBackbone>(container, PluginKind.Backbone, assembly));
                found.AddRange(Exports<IDatasetProvider>(container, PluginKind.Dataset, assembly));
                found.AddRange(Exports<IWeightPrior>(container, PluginKind.Prior, assembly));
                found.AddRange(Exports<IStage>(container, PluginKind.Stage, assembly));
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or CompositionFailedException or TypeLoadException or FileNotFoundException or FileLoadException)
            {
                _failures.Add(new PluginLoadFailure(assembly.Location, Describe(e)));
            }
        }

        foreach (var group in found.GroupBy(entry => (entry.Info.Kind, entry.Info.Name)))
        {
            var entries = group.ToList();
            if (entries.Count > 1)
                throw new DuplicatePluginException(group.Key.Kind, group.Key.Name, entries.Select(e => e.Info.AssemblyPath).ToList());
            _entries[group.Key] = entries[0];
        }
        Plugins = _entries.Values.Select(e => e.Info).OrderBy(i => i.Kind).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<PluginInfo> Plugins { get; }

    /// <inheritdoc />
    public IReadOnlyList<PluginLoadFailure> Failures => _failures;

    /// <inheritdoc />
    public bool Contains(PluginKind kind, string name) => _entries.ContainsKey((kind, name));

    /// <inheritdoc />
    public IConfigurablePlugin Get(PluginKind kind, string name)
    {
        if (!_entries.TryGetValue((kind, name), out var entry))
            throw new UnknownPluginException(kind, name, Plugins.Where(p => p.Kind == kind).Select(p => p.Name).ToList());
        return entry.Part.Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (CompositionHost container in _containers) container.Dispose();
        _containers.Clear();
    }

    private static IEnumerable<(PluginInfo, Lazy<IConfigurablePlugin>)> Exports<T>(CompositionHost container, PluginKind kind, Assembly assembly)
        where T : class, IConfigurablePlugin =>
        container.GetExports<Lazy<T, PluginMetadata>>().Select(export =>
            (new PluginInfo(kind, export.Metadata.Name, export.Metadata.Version, export.Metadata.Description, assembly.Location),
             new Lazy<IConfigurablePlugin>(() => export.Value)));

    private static string Describe(Exception e) => e switch
    {
        ReflectionTypeLoadException rtle => string.Join("; ", rtle.LoaderExceptions.Where(x => x is not null).Select(x => x!.Message).Distinct()),
        _ => e.Message,
    };
}
