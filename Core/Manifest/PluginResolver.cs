using Pipeline.Core.Composition;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>Looks plugins up in the catalog, turning unknown names and wrong kinds into located errors.</summary>
internal sealed class PluginResolver(IPluginCatalog catalog, ManifestDiagnostics diagnostics)
{
    /// <summary>The plugin of <paramref name="kind"/> named <paramref name="name"/>, or null with the problem reported.</summary>
    /// <param name="kind">The kind the manifest section requires.</param>
    /// <param name="name">The name written in the manifest.</param>
    /// <param name="nameNode">Where errors point: the <c>plugin:</c> value, or the section for a default plugin.</param>
    /// <param name="path">Key path of the name, e.g. <c>stages[0].plugin</c>.</param>
    public IConfigurablePlugin? Resolve(PluginKind kind, string name, YamlNode nameNode, string path)
    {
        if (catalog.Contains(kind, name))
            return catalog.Get(kind, name);
        diagnostics.Report(nameNode, path, UnknownMessage(kind, name));
        return null;
    }

    // Lists the catalog's names of the wanted kind, and says so when the name exists under another kind.
    private string UnknownMessage(PluginKind kind, string name)
    {
        var available = catalog.Plugins.Where(plugin => plugin.Kind == kind).Select(plugin => plugin.Name).ToList();
        var availableText = available.Count == 0 ? "(none)" : string.Join(", ", available);
        var otherKinds = catalog.Plugins
            .Where(plugin => plugin.Kind != kind && plugin.Name == name)
            .Select(plugin => $"a {KindName(plugin.Kind)} plugin")
            .ToList();
        var wrongKindHint = otherKinds.Count == 0 ? "" : $" ('{name}' is {string.Join(" and ", otherKinds)})";
        return $"unknown {KindName(kind)} plugin '{name}'{wrongKindHint}; available {KindName(kind)} plugins: {availableText}";
    }

    private static string KindName(PluginKind kind) => kind.ToString().ToLowerInvariant();
}
