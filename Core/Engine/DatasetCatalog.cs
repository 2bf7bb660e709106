using Microsoft.Extensions.Logging;
using Pipeline.Core.Composition;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Engine;

/// <summary>The manifest's datasets, each opened by its plugin the first time a stage asks for it.</summary>
public sealed class DatasetCatalog : IDatasetCatalog
{
    private readonly IPluginCatalog _plugins;
    private readonly IReadOnlyDictionary<string, (string Plugin, object Options)> _declared;
    private readonly string _cacheRoot;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ISegmentationDataset> _opened = new(StringComparer.Ordinal);

    /// <param name="plugins">Where dataset plugins come from.</param>
    /// <param name="declared">Dataset name → (plugin name, bound options).</param>
    /// <param name="cacheRoot">Parent of each dataset's cache folder.</param>
    /// <param name="logger">Logger handed to the providers.</param>
    public DatasetCatalog(IPluginCatalog plugins, IReadOnlyDictionary<string, (string Plugin, object Options)> declared, string cacheRoot, ILogger logger)
    {
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
        string cache = Path.Combine(_cacheRoot, name);
        Directory.CreateDirectory(cache);
        dataset = provider.Open(declaration.Options, new DatasetOpenContext(name, cache, _logger));
        _opened[name] = dataset;
        return dataset;
    }
}
