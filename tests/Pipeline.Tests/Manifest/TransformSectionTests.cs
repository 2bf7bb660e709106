using Pipeline.Core.Manifest;
using static Pipeline.Tests.Manifest.ManifestTestKit;

namespace Pipeline.Tests.Manifest;

/// <summary>A dataset's <c>preprocess</c> list and a stage's <c>augment</c> list in the manifest.</summary>
public class TransformSectionTests
{
    private static readonly string WithTransforms = Quickstart
        .Replace("""
                options: { cases: 12, size: 48 }
            """, """
                options: { cases: 12, size: 48 }
                preprocess:
                  - name: orientation
                    axcodes: RAS
                  - name: ct_window
                    a_min: -125
                    a_max: 275
            """)
        .Replace("""
                options: { dataset: phantoms, iterations: 200 }
            """, """
                options: { dataset: phantoms, iterations: 200 }
                augment:
                  - name: rand_flip
                    prob: 0.5
            """);

    [Fact]
    public void ListsAreReadAndWrittenBackToTheResolvedManifest()
    {
        var manifest = Load(WithTransforms);
        Assert.Equal(2, manifest.Datasets["phantoms"].Preprocess!.Children.Count);
        Assert.Single(manifest.Stages[0].Section.Augment!.Children);

        var resolved = ManifestWriter.ToYaml(manifest);
        Assert.Contains("preprocess:", resolved);
        Assert.Contains("a_min: -125", resolved);
        Assert.Contains("augment:", resolved);
        var again = Load(resolved);
        Assert.Equal(2, again.Datasets["phantoms"].Preprocess!.Children.Count);
    }

    [Fact]
    public void ARandomTransformInPreprocessIsRejectedAtItsLine()
    {
        var yaml = WithTransforms.Replace("- name: ct_window", "- name: rand_flip\n      - name: ct_window");
        var error = ErrorAt(Fail(yaml), "datasets.phantoms.preprocess[1]");
        Assert.Contains("'rand_flip' is random", error.Message);
    }

    [Fact]
    public void AMisspelledTransformKeyNamesTheListEntry()
    {
        var error = ErrorAt(Fail(WithTransforms.Replace("a_min: -125", "a_mim: -125")), "datasets.phantoms.preprocess[1].a_mim");
        Assert.Contains("did you mean 'a_min'", error.Message);
        AssertLocatedAt(error, WithTransforms.Replace("a_min: -125", "a_mim: -125"), "a_mim");
    }
}
