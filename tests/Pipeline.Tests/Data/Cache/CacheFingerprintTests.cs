using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Pipeline.Core.Composition;
using Pipeline.Core.Data.Cache;
using Pipeline.Core.Engine;
using Pipeline.Core.Manifest;
using Pipeline.Tests.Manifest;

namespace Pipeline.Tests.Data.Cache;

/// <summary>The cache folder follows the dataset's bound manifest section: options and the preprocess list.</summary>
public class CacheFingerprintTests
{
    private const string Options = "options: { cases: 12, size: 48 }";

    private static string Fingerprint(string options, string? preprocess = null)
    {
        string yaml = ManifestTestKit.Quickstart.Replace(Options, options + (preprocess is null ? "" : "\n    preprocess:\n" + preprocess));
        var manifest = ManifestTestKit.Load(yaml);
        return CaseCacheFingerprint.Of(ManifestWriter.SectionYaml(manifest.Datasets["phantoms"]), CacheImageType.Auto);
    }

    [Fact]
    public void BoundOptionsAndThePreprocessListDecideTheFingerprint()
    {
        string plain = Fingerprint(Options);
        Assert.Matches("^[0-9a-f]{16}$", plain);
        // Written differently, bound the same (a default spelled out): the same cases, the same folder.
        Assert.Equal(plain, Fingerprint("options: { size: 48, cases: 12, noise_std: 0.1 }"));
        Assert.NotEqual(plain, Fingerprint("options: { cases: 12, size: 48, noise_std: 0.3 }"));

        string zScore = Fingerprint(Options, "      - name: z_score\n");
        Assert.NotEqual(plain, zScore);
        Assert.Equal(zScore, Fingerprint(Options, "      - name: z_score\n"));
        Assert.NotEqual(zScore, Fingerprint(Options, "      - name: z_score\n        nonzero: true\n"));
    }

    [Fact]
    public void TheCatalogGivesDefinitionsWithTheDatasetsCacheFolder()
    {
        var manifest = ManifestTestKit.Load(ManifestTestKit.Quickstart);
        var catalog = new DatasetCatalog(Substitute.For<IPluginCatalog>(),
            manifest.Datasets.ToDictionary(d => d.Key, d => (d.Value.Plugin, d.Value.Options)), "/cache/datasets", NullLogger.Instance,
            definitions: manifest.Datasets.ToDictionary(d => d.Key, d => ManifestWriter.SectionYaml(d.Value)));
        var definition = catalog.Definition("phantoms")!;
        Assert.Equal(("phantoms", "/cache/datasets/phantoms"), (definition.Name, definition.CacheDirectory));
        Assert.StartsWith("plugin: synthetic\noptions:\n  cases: 12\n", definition.Text);
        Assert.Null(catalog.Definition("other"));
        Assert.Null(new DatasetCatalog(Substitute.For<IPluginCatalog>(), new Dictionary<string, (string, object)>(), "/c", NullLogger.Instance)
            .Definition("phantoms"));
    }
}
