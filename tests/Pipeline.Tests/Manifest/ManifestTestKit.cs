using Pipeline.Core.Manifest;

namespace Pipeline.Tests.Manifest;

/// <summary>Loads manifests from text against the test catalog and finds where text sits in them.</summary>
internal static class ManifestTestKit
{
    public const string SourceName = "quickstart.yaml";
    public const string BaseDirectory = "/data/project";

    /// <summary>The manifest of the task description, with line numbers that the tests rely on.</summary>
    public const string Quickstart = """
        name: quickstart
        seed: 42
        device: cpu
        output_root: runs
        datasets:
          phantoms:
            plugin: synthetic
            options: { cases: 12, size: 48 }
        model:
          backbone: 3d-ux-net
          options: { out_channels: 4, feature_sizes: [16, 32, 64, 128] }
        prior:
          plugin: none
          options: {}
        stages:
          - name: train
            plugin: train
            options: { dataset: phantoms, iterations: 200 }
          - name: validate
            plugin: validate
            options: { dataset: phantoms, model: train }
        """;

    public static PipelineManifest Load(string yaml, params string[] overrides) =>
        ManifestLoader.Parse(yaml, SourceName, overrides, TestCatalog.Create(), BaseDirectory);

    public static ManifestException Fail(string yaml, params string[] overrides) =>
        Assert.Throws<ManifestException>(() => Load(yaml, overrides));

    /// <summary>The single error whose path is <paramref name="path"/>.</summary>
    public static ManifestError ErrorAt(ManifestException exception, string path) =>
        Assert.Single(exception.Errors, error => error.Path == path);

    /// <summary>1-based line and column of the first occurrence of <paramref name="fragment"/>.</summary>
    public static (int Line, int Column) PositionOf(string yaml, string fragment)
    {
        var index = yaml.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{fragment}' is not in the manifest text");
        var lineStart = yaml.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var line = yaml[..index].Count(character => character == '\n') + 1;
        return (line, index - lineStart + 1);
    }

    public static void AssertLocatedAt(ManifestError error, string yaml, string fragment)
    {
        var (line, column) = PositionOf(yaml, fragment);
        Assert.False(error.Location.IsOverride);
        Assert.Equal(SourceName, error.Location.Source);
        Assert.Equal((line, column), (error.Location.Line, error.Location.Column));
    }
}
