using Microsoft.Extensions.Logging;
using Pipeline.Core.Composition;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Core.Transforms;

namespace Pipeline.Core.Engine;

/// <summary>The manifest's datasets, each opened by its plugin the first time a stage asks for it.</summary>
public sealed class DatasetCatalog : IDatasetCatalog
{
    private readonly IPluginCatalog _plugins;
    private readonly IReadOnlyDictionary<string, (string Plugin, object Options)> _declared;
    private readonly string _cacheRoot;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, Compose> _preprocess;
    private readonly string? _runDirectory;
    private readonly IReadOnlyDictionary<string, string> _definitions;
    private readonly Dictionary<string, ISegmentationDataset> _opened = new(StringComparer.Ordinal);

    /// <param name="plugins">Where dataset plugins come from.</param>
    /// <param name="declared">Dataset name → (plugin name, bound options).</param>
    /// <param name="cacheRoot">Parent of each dataset's cache folder.</param>
    /// <param name="logger">Logger handed to the providers.</param>
    /// <param name="preprocess">Dataset name → its preprocessing transforms (datasets without one are used as opened).</param>
    /// <param name="runDirectory">The run folder, where providers record generated splits.</param>
    /// <param name="definitions">Dataset name → its resolved manifest section as YAML (<see cref="Manifest.ManifestWriter.SectionYaml"/>), for <see cref="Definition"/>.</param>
    public DatasetCatalog(IPluginCatalog plugins, IReadOnlyDictionary<string, (string Plugin, object Options)> declared, string cacheRoot, ILogger logger,
        IReadOnlyDictionary<string, Compose>? preprocess = null, string? runDirectory = null,
        IReadOnlyDictionary<string, string>? definitions = null)
    {
        _definitions = definitions ?? new Dictionary<string, string>();
        _preprocess = preprocess ?? new Dictionary<string, Compose>();
        _runDirectory = runDirectory;
        _plugins = plugins;
        _declared = declared;
        _cacheRoot = cacheRoot;
        _logger = logger;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _declared.Keys.ToList();

    /// <inheritdoc />
    public ISegmentationDataset Get(string name)
    {
        if (_opened.TryGetValue(name, out var dataset)) return dataset;
        if (!_declared.TryGetValue(name, out var declaration))
            throw new KeyNotFoundException($"No dataset named '{name}' in the manifest. Declared: {string.Join(", ", _declared.Keys)}.");
        var provider = (IDatasetProvider)_plugins.Get(PluginKind.Dataset, declaration.Plugin);
        string cache = CacheDirectory(name);
        Directory.CreateDirectory(cache);
        dataset = provider.Open(declaration.Options, new DatasetOpenContext(name, cache, _logger, _runDirectory));
        if (_preprocess.TryGetValue(name, out var preprocess) && preprocess.Transforms.Count > 0)
            dataset = new PreprocessedDataset(dataset, preprocess, name);
        _opened[name] = dataset;
        return dataset;
    }

    /// <inheritdoc />
    public DatasetDefinition? Definition(string name) =>
        _definitions.TryGetValue(name, out var text) ? new DatasetDefinition(name, text, CacheDirectory(name)) : null;

    private string CacheDirectory(string name) => Path.Combine(_cacheRoot, name);
}
