using Pipeline.Core.Composition;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Loads a pipeline manifest: parses the YAML, applies <c>--set</c> overrides, resolves every plugin in the catalog,
/// binds and validates all options and checks the references between sections. Either returns a complete
/// <see cref="PipelineManifest"/> or throws one <see cref="ManifestException"/> listing every problem found.
/// </summary>
public static class ManifestLoader
{
    /// <summary>Loads the manifest file at <paramref name="path"/>.</summary>
    /// <param name="path">The manifest file; errors name it as given. A relative <c>output_root</c> is resolved
    /// against its folder.</param>
    /// <param name="overrides"><c>path.to.key=value</c> texts, applied in order (see the format in the docs of
    /// <see cref="Parse"/>).</param>
    /// <param name="catalog">Where plugins and their options types come from.</param>
    /// <exception cref="ManifestException">The manifest or an override is invalid.</exception>
    /// <exception cref="IOException">The file cannot be read (e.g. <see cref="FileNotFoundException"/>).</exception>
    public static PipelineManifest Load(string path, IReadOnlyList<string> overrides, IPluginCatalog catalog)
    {
        var text = File.ReadAllText(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Parse(text, path, overrides, catalog, folder);
    }

    /// <summary>Loads a manifest from text (for tests and for manifests that are not files).</summary>
    /// <param name="yamlText">The manifest YAML.</param>
    /// <param name="sourceName">How error locations name the text, e.g. a file name.</param>
    /// <param name="overrides">
    /// <c>path.to.key=value</c> texts applied to the YAML before binding. Segments are mapping keys; in
    /// <c>stages</c> a segment may be a stage name or an index (<c>stages.train.options.iterations=5</c>,
    /// <c>stages.0.options.iterations=5</c>). The value is YAML (<c>5</c>, <c>true</c>, <c>[16, 32]</c>,
    /// <c>{a: 1}</c>, text). Missing mappings are created.
    /// </param>
    /// <param name="catalog">Where plugins and their options types come from.</param>
    /// <param name="baseDirectory">Folder a relative <c>output_root</c> is resolved against; null for the current
    /// directory.</param>
    /// <exception cref="ManifestException">The manifest or an override is invalid.</exception>
    public static PipelineManifest Parse(
        string yamlText, string sourceName, IReadOnlyList<string> overrides, IPluginCatalog catalog,
        string? baseDirectory = null)
    {
        var diagnostics = new ManifestDiagnostics(new NodeLocator(sourceName));
        // Without a top-level mapping nothing else can be checked; the reader has reported why.
        var root = ManifestYamlReader.Read(yamlText, diagnostics);
        if (root is null)
            throw new ManifestException(diagnostics.Errors);

        new OverrideApplier(diagnostics).Apply(root, overrides);
        var builder = new ManifestModelBuilder(catalog, diagnostics, baseDirectory ?? Directory.GetCurrentDirectory());
        var manifest = builder.Build(root);
        diagnostics.ThrowIfAny();
        // Build returns null only after reporting a problem, so ThrowIfAny has thrown in that case.
        return manifest!;
    }
}
