namespace Pipeline.Core.Composition;

/// <summary>
/// Where external plugins are looked for, in order: <c>plugins/</c> beside the host, every folder of
/// <c>PIPELINE_PLUGIN_PATH</c> (colon-separated), then each <c>--plugins DIR</c>.
/// </summary>
public static class PluginSearchPath
{
    /// <summary>Environment variable with extra plugin folders.</summary>
    public const string EnvironmentVariable = "PIPELINE_PLUGIN_PATH";

    /// <summary>The ordered, de-duplicated list of existing and requested folders.</summary>
    /// <param name="hostDirectory">The host's folder (its <c>plugins/</c> is used when it exists).</param>
    /// <param name="environmentValue">The value of <see cref="EnvironmentVariable"/>, or null.</param>
    /// <param name="commandLineFolders">Folders given with <c>--plugins</c>; these must exist.</param>
    public static IReadOnlyList<string> Resolve(string hostDirectory, string? environmentValue, IEnumerable<string> commandLineFolders)
    {
        var folders = new List<string>();
        string besideHost = Path.Combine(hostDirectory, "plugins");
        if (Directory.Exists(besideHost)) folders.Add(besideHost);
        if (!string.IsNullOrWhiteSpace(environmentValue))
            folders.AddRange(environmentValue.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        folders.AddRange(commandLineFolders);
        return folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
    }
}
