using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Binds a plugin's options from <c>--set key=value</c> texts alone (no manifest file), for commands such as
/// <c>pipeline model info --backbone NAME --set out_channels=5</c>. Same rules and messages as a manifest.
/// </summary>
public static class OverrideOptions
{
    /// <summary>An <paramref name="optionsType"/> with defaults, overridden by <paramref name="overrides"/>.</summary>
    /// <param name="optionsType">The plugin's options class.</param>
    /// <param name="overrides">Texts such as <c>out_channels=5</c> or <c>feature_sizes=[16,32,64,128]</c>.</param>
    /// <param name="sourceName">What errors name as the source, e.g. <c>model info</c>.</param>
    /// <exception cref="ManifestException">An override is malformed or does not fit the options.</exception>
    public static object Bind(Type optionsType, IReadOnlyList<string> overrides, string sourceName)
    {
        var diagnostics = new ManifestDiagnostics(new NodeLocator(sourceName));
        var root = new YamlMappingNode();
        new OverrideApplier(diagnostics).Apply(root, overrides);
        diagnostics.ThrowIfAny();
        var bound = new OptionsBinder(diagnostics).Bind(optionsType, root, root, "options");
        diagnostics.ThrowIfAny();
        return bound.Value;
    }
}
