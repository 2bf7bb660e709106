using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>A plugin section as read, with the reference options found in its options.</summary>
/// <param name="Section">The section.</param>
/// <param name="References">Dataset and stage references in its options, checked once every section is read.</param>
internal sealed record SectionReadResult(PluginSection Section, IReadOnlyList<OptionReference> References);

/// <summary>
/// Reads one plugin section, <c>{ plugin: NAME, options: {...} }</c> (the model says <c>backbone:</c> instead of
/// <c>plugin:</c>): resolves the plugin in the catalog for the section's kind and binds the options to its options type.
/// </summary>
internal sealed class PluginSectionReader(PluginResolver resolver, OptionsBinder binder, ManifestDiagnostics diagnostics)
{
    /// <summary>The key that holds a section's options.</summary>
    public const string OptionsKey = "options";

    /// <summary>Reads the section at <paramref name="node"/>; null (problems reported) when it cannot be used.</summary>
    /// <param name="node">The section's node.</param>
    /// <param name="path">Its key path, e.g. <c>stages[0]</c>.</param>
    /// <param name="kind">The plugin kind the section needs.</param>
    /// <param name="pluginKey"><c>plugin</c>, or <c>backbone</c> for the model.</param>
    /// <param name="validKeys">Every key the section may have (the caller reads any beyond plugin and options).</param>
    public SectionReadResult? Read(YamlNode node, string path, PluginKind kind, string pluginKey, IReadOnlyList<string> validKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            diagnostics.Report(node, path,
                $"expected a mapping with keys {string.Join(", ", validKeys)}, got {YamlNodes.Describe(node)}");
            return null;
        }

        YamlNode? pluginNode = null;
        YamlNode? optionsNode = null;
        foreach (var entry in YamlNodes.Entries(mapping, path, diagnostics))
        {
            if (!validKeys.Contains(entry.Key))
                diagnostics.Report(entry.KeyNode, KeyPath.Key(path, entry.Key), KeySuggestions.UnknownKey(entry.Key, validKeys));
            else if (entry.Key == pluginKey)
                pluginNode = entry.Value;
            else if (entry.Key == OptionsKey)
                optionsNode = entry.Value;
        }

        var pluginPath = KeyPath.Key(path, pluginKey);
        if (pluginNode is null)
        {
            diagnostics.Report(mapping, pluginPath, $"missing required key '{pluginKey}'");
            return null;
        }
        if (YamlNodes.IsNull(pluginNode) || pluginNode is not YamlScalarNode { Value: { Length: > 0 } pluginName })
        {
            diagnostics.Report(pluginNode, pluginPath, $"expected a {KindName(kind)} plugin name, got {YamlNodes.Describe(pluginNode)}");
            return null;
        }
        return Bind(kind, pluginName, pluginKey, pluginNode, mapping, optionsNode, path);
    }

    /// <summary>A section the manifest leaves out: plugin <paramref name="pluginName"/> with default options.</summary>
    /// <param name="kind">The plugin kind.</param>
    /// <param name="pluginName">The default plugin, e.g. <c>none</c> for the prior.</param>
    /// <param name="owner">Where problems point (the top-level mapping).</param>
    /// <param name="path">The section's key path.</param>
    public SectionReadResult? ReadDefault(PluginKind kind, string pluginName, YamlNode owner, string path) =>
        Bind(kind, pluginName, "plugin", owner, owner, optionsNode: null, path);

    private SectionReadResult? Bind(
        PluginKind kind, string pluginName, string pluginKey, YamlNode nameNode, YamlNode sectionNode,
        YamlNode? optionsNode, string path)
    {
        var plugin = resolver.Resolve(kind, pluginName, nameNode, KeyPath.Key(path, pluginKey));
        if (plugin is null)
            return null;

        var bound = binder.Bind(plugin.OptionsType, optionsNode, sectionNode, KeyPath.Key(path, OptionsKey));
        var section = new PluginSection
        {
            Kind = kind,
            Plugin = pluginName,
            Options = bound.Value,
            Location = diagnostics.Locator.Locate(sectionNode),
            Path = path,
        };
        return new SectionReadResult(section, bound.References);
    }

    private static string KindName(PluginKind kind) => kind.ToString().ToLowerInvariant();
}
