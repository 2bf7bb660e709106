using Pipeline.Core.Manifest;
using static Pipeline.Tests.Manifest.ManifestTestKit;

namespace Pipeline.Tests.Manifest;

public class OverrideTests
{
    private static TrainOptions Train(PipelineManifest manifest) => (TrainOptions)manifest.Stages[0].Section.Options;

    private static UxNetOptions Model(PipelineManifest manifest) => (UxNetOptions)manifest.Model.Options;

    [Fact]
    public void ScalarByStageName()
    {
        Assert.Equal(5, Train(Load(Quickstart, "stages.train.options.iterations=5")).Iterations);
    }

    [Fact]
    public void ScalarByStageIndex()
    {
        Assert.Equal(7, Train(Load(Quickstart, "stages.0.options.iterations=7")).Iterations);
    }

    [Fact]
    public void DatasetOptionByName()
    {
        var manifest = Load(Quickstart, "datasets.phantoms.options.cases=4");

        Assert.Equal(4, ((SyntheticDatasetOptions)manifest.Datasets["phantoms"].Options).Cases);
    }

    [Fact]
    public void HeaderValues()
    {
        var manifest = Load(Quickstart, "seed=7", "device=cuda", "name=other-run", "output_root=/tmp/elsewhere");

        Assert.Equal((7L, ComputeDevice.Cuda, "other-run"), (manifest.Seed, manifest.Device, manifest.Name));
        Assert.Equal("/tmp/elsewhere", manifest.OutputRoot);
    }

    [Fact]
    public void ListsAndMappingsAreParsedAsYaml()
    {
        var manifest = Load(Quickstart,
            "model.options.feature_sizes=[8, 16, 32, 64]",
            "model.options.dropout={rate: 0.25}",
            "model.options.class_weights={liver: 2, tumor: 5.5}",
            "model.options.tags=[baseline]");

        var model = Model(manifest);
        Assert.Equal([8, 16, 32, 64], model.FeatureSizes);
        Assert.Equal(0.25, model.Dropout.Rate);
        Assert.True(model.Dropout.Spatial);
        Assert.Equal(new Dictionary<string, double> { ["liver"] = 2, ["tumor"] = 5.5 }, model.ClassWeights);
        Assert.Equal(["baseline"], model.Tags);
    }

    [Fact]
    public void MissingKeysAndMappingsAreCreated()
    {
        var yaml = Quickstart.Replace("prior:\n  plugin: none\n  options: {}\n", "");

        var manifest = Load(yaml,
            "model.options.layer_scale=0.5",
            "prior.plugin=frequency",
            "prior.options.kernels=[7, 13]",
            "model.options.dropout.rate=0.1");

        Assert.Equal(0.5f, Model(manifest).LayerScale);
        Assert.Equal(0.1, Model(manifest).Dropout.Rate);
        Assert.Equal("frequency", manifest.Prior.Plugin);
        Assert.Equal([7, 13], ((FrequencyPriorOptions)manifest.Prior.Options).KernelSizes);
    }

    [Fact]
    public void AnEmptyOptionsValueCountsAsMissing()
    {
        var yaml = Quickstart.Replace("  options: {}", "  options:");

        var manifest = Load(yaml, "prior.plugin=frequency", "prior.options.sigma=0.25");

        Assert.Equal(0.25, ((FrequencyPriorOptions)manifest.Prior.Options).Sigma);
    }

    [Fact]
    public void LaterOverridesWin()
    {
        Assert.Equal(9, Train(Load(Quickstart, "stages.train.options.iterations=5", "stages.0.options.iterations=9")).Iterations);
    }

    [Fact]
    public void PlainTextAndQuotedNumbersStayText()
    {
        var manifest = Load(Quickstart, "stages.train.options.resume_from=runs/quickstart/last", "model.options.tags=['2024']");

        Assert.Equal("runs/quickstart/last", Train(manifest).ResumeFrom);
        Assert.Equal(["2024"], Model(manifest).Tags);
    }

    [Fact]
    public void AWholeStageCanBeReplacedByIndex()
    {
        var manifest = Load(Quickstart, "stages.1={name: check, plugin: validate, options: {dataset: phantoms, model: train}}");

        Assert.Equal(["train", "check"], manifest.Stages.Select(stage => stage.Name));
    }

    [Fact]
    public void ValuesFromAnOverrideAreLocatedAtTheOverride()
    {
        var exception = Fail(Quickstart, "stages.train.options.iterations=abc");

        var error = Assert.Single(exception.Errors);
        Assert.True(error.Location.IsOverride);
        Assert.Equal(
            "--set stages.train.options.iterations=abc: stages[0].options.iterations: expected an integer, got 'abc'",
            exception.Message);
    }

    [Fact]
    public void KeysCreatedByAnOverrideAreLocatedAtTheOverride()
    {
        var error = Assert.Single(Fail(Quickstart, "stages.train.options.iters=5").Errors);

        Assert.Equal("stages[0].options.iters", error.Path);
        Assert.Equal("--set stages.train.options.iters=5", error.Location.ToString());
        Assert.StartsWith("unknown key 'iters'", error.Message);
    }

    [Fact]
    public void OverrideErrorsAreListedAfterFileErrors()
    {
        var yaml = Quickstart.Replace("seed: 42", "seed: x");

        var exception = Fail(yaml, "device=gpu");

        Assert.Equal(["seed", "device"], exception.Errors.Select(error => error.Path));
        Assert.True(exception.Errors[1].Location.IsOverride);
    }

    [Theory]
    [InlineData("iterations", "", "expected PATH=VALUE, e.g. stages.train.options.iterations=5")]
    [InlineData("stages..options.iterations=5", "",
        "the path 'stages..options.iterations' has an empty segment; use dot-separated keys, e.g. model.options.out_channels")]
    [InlineData("=5", "", "the path '' has an empty segment; use dot-separated keys, e.g. model.options.out_channels")]
    [InlineData("stages.trian.options.iterations=5", "stages.trian.options.iterations",
        "'stages' has no item named 'trian'; names: train, validate; or use an index from 0 to 1")]
    [InlineData("stages.2.options.iterations=5", "stages.2.options.iterations",
        "index 2 is out of range: 'stages' has 2 item(s)")]
    [InlineData("seed.value=5", "seed.value", "cannot set a key inside 'seed': it holds the scalar '42'")]
    [InlineData("model.backbone.depth=3", "model.backbone.depth",
        "cannot set a key inside 'model.backbone': it holds the scalar '3d-ux-net'")]
    public void BadOverridesNameTheOverrideText(string text, string path, string message)
    {
        var error = Assert.Single(Fail(Quickstart, text).Errors);

        Assert.Equal($"--set {text}", error.Location.ToString());
        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void InvalidYamlValueNamesTheOverrideText()
    {
        var error = Assert.Single(Fail(Quickstart, "model.options.feature_sizes=[16, 32").Errors);

        Assert.Equal("--set model.options.feature_sizes=[16, 32", error.Location.ToString());
        Assert.StartsWith("invalid YAML", error.Message);
    }

    [Fact]
    public void AnEmptyValueIsNull()
    {
        var manifest = Load(Quickstart, "model.options.layer_scale=0.5", "model.options.layer_scale=");

        Assert.Null(Model(manifest).LayerScale);
    }
}
