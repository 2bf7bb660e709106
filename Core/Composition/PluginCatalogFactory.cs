namespace Pipeline.Core.Composition;

/// <summary>Builds the <see cref="PluginCatalog"/> from the built-in plugins and the plugin search path.</summary>
public static class PluginCatalogFactory
{
    /// <summary>Discovers and composes every plugin.</summary>
    /// <param name="hostDirectory">The host's folder (built-in plugins and <c>plugins/</c>).</param>
    /// <param name="commandLineFolders">Folders from <c>--plugins</c>.</param>
    /// <param name="environmentValue">The value of <c>PIPELINE_PLUGIN_PATH</c>.</param>
    public static PluginCatalog Create(string hostDirectory, IEnumerable<string> commandLineFolders, string? environmentValue)
    {
        var loader = new PluginAssemblyLoader();
        var assemblies = loader.LoadBuiltIn(hostDirectory).ToList();
        foreach (string folder in PluginSearchPath.Resolve(hostDirectory, environmentValue, commandLineFolders))
            assemblies.AddRange(loader.LoadFolder(folder));
        return new PluginCatalog(assemblies, loader.Failures);
    }
}
