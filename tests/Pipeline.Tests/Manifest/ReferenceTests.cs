using static Pipeline.Tests.Manifest.ManifestTestKit;

namespace Pipeline.Tests.Manifest;

public class ReferenceTests
{
    [Fact]
    public void UnknownDatasetListsTheDeclaredDatasets()
    {
        var yaml = Quickstart.Replace("{ dataset: phantoms, iterations: 200 }", "{ dataset: phantom, iterations: 200 }");

        var error = ErrorAt(Fail(yaml), "stages[0].options.dataset");

        Assert.Equal("unknown dataset 'phantom'; declared datasets: phantoms", error.Message);
        AssertLocatedAt(error, yaml, "phantom,");
    }

    [Fact]
    public void DatasetReferencesInListsAreCheckedPerItem()
    {
        var yaml = Quickstart.Replace("{ dataset: phantoms, model: train }", "{ dataset: phantoms, model: train, also_on: [phantoms, brats] }");

        var error = ErrorAt(Fail(yaml), "stages[1].options.also_on[1]");

        Assert.Equal("unknown dataset 'brats'; declared datasets: phantoms", error.Message);
        AssertLocatedAt(error, yaml, "brats");
    }

    [Fact]
    public void StageReferenceToALaterStageListsTheEarlierStages()
    {
        var yaml = Quickstart.Replace("model: train", "model: export") + """

              - name: export
                plugin: train
                options: { dataset: phantoms }
            """;

        var error = ErrorAt(Fail(yaml), "stages[1].options.model");

        Assert.Equal("stage 'export' runs after 'validate', so its output is not available yet; earlier stages: train", error.Message);
        AssertLocatedAt(error, yaml, "export }");
    }

    [Fact]
    public void StageReferenceToItself()
    {
        var yaml = Quickstart.Replace("model: train", "model: validate");

        Assert.Equal(
            "stage 'validate' cannot refer to itself; earlier stages: train",
            ErrorAt(Fail(yaml), "stages[1].options.model").Message);
    }

    [Fact]
    public void StageReferenceToAnUnknownStage()
    {
        var yaml = Quickstart.Replace("model: train", "model: training");

        Assert.Equal(
            "unknown stage 'training'; earlier stages: train",
            ErrorAt(Fail(yaml), "stages[1].options.model").Message);
    }

    [Fact]
    public void ReferencesSetByOverridesAreChecked()
    {
        var error = ErrorAt(Fail(Quickstart, "stages.validate.options.model=validate"), "stages[1].options.model");

        Assert.Equal("--set stages.validate.options.model=validate", error.Location.ToString());
    }

    [Fact]
    public void ReferenceProblemsAreCollectedWithOtherErrors()
    {
        var yaml = Quickstart
            .Replace("{ dataset: phantoms, iterations: 200 }", "{ dataset: ct, iterations: 200 }")
            .Replace("model: train", "model: nope")
            .Replace("seed: 42", "seed: x");

        var exception = Fail(yaml);

        Assert.Equal(["seed", "stages[0].options.dataset", "stages[1].options.model"], exception.Errors.Select(error => error.Path));
    }
}
