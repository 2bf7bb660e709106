using Pipeline.Core.Manifest;
using static Pipeline.Tests.Manifest.ManifestTestKit;

namespace Pipeline.Tests.Manifest;

public class ManifestErrorTests
{
    [Fact]
    public void MisspelledOptionKeyReportsItsLineColumnAndTheValidKeys()
    {
        var yaml = Quickstart.Replace("iterations: 200", "iteratons: 200");

        var exception = Fail(yaml);

        var error = Assert.Single(exception.Errors);
        Assert.Equal((18, 35), (error.Location.Line, error.Location.Column));
        Assert.Equal("stages[0].options.iteratons", error.Path);
        Assert.Equal(
            "quickstart.yaml:18:35: stages[0].options.iteratons: unknown key 'iteratons' (did you mean 'iterations'?); " +
            "valid keys: dataset, iterations, learning_rate, roi_size, resume_from",
            exception.Message);
    }

    [Fact]
    public void MisspelledKeyInBlockStyleIsLocatedAtTheKey()
    {
        const string yaml = """
            name: blocks
            datasets:
              phantoms:
                plugin: synthetic
                options:
                  cases: 3
                  sise: 16
            model: { backbone: 3d-ux-net }
            stages:
              - { name: train, plugin: train, options: { dataset: phantoms } }
            """;

        var error = ErrorAt(Fail(yaml), "datasets.phantoms.options.sise");

        Assert.Equal((7, 7), (error.Location.Line, error.Location.Column));
        Assert.Contains("valid keys: cases, size, noise_std", error.Message);
    }

    [Fact]
    public void UnknownTopLevelKeyListsTheValidKeys()
    {
        var yaml = Quickstart.Replace("seed: 42", "sead: 42");

        var error = Assert.Single(Fail(yaml).Errors);

        Assert.Equal("sead", error.Path);
        AssertLocatedAt(error, yaml, "sead");
        Assert.Equal(
            "unknown key 'sead' (did you mean 'seed'?); valid keys: name, seed, device, output_root, datasets, model, prior, stages",
            error.Message);
    }

    [Fact]
    public void UnknownSectionKeyListsTheSectionKeys()
    {
        var yaml = Quickstart.Replace("backbone: 3d-ux-net", "backbone: 3d-ux-net\n  option: {}");

        var error = ErrorAt(Fail(yaml), "model.option");

        Assert.Equal("unknown key 'option' (did you mean 'options'?); valid keys: backbone, options", error.Message);
    }

    [Fact]
    public void WrongTypeIsReportedAtTheValue()
    {
        var yaml = Quickstart.Replace("iterations: 200", "iterations: abc");

        var error = ErrorAt(Fail(yaml), "stages[0].options.iterations");

        Assert.Equal("expected an integer, got 'abc'", error.Message);
        AssertLocatedAt(error, yaml, "abc");
    }

    [Theory]
    [InlineData("feature_sizes: [16, 32, x, 128]", "model.options.feature_sizes[2]", "expected an integer, got 'x'")]
    [InlineData("feature_sizes: 16", "model.options.feature_sizes", "expected a sequence, got '16'")]
    [InlineData("feature_sizes: {a: 1}", "model.options.feature_sizes", "expected a sequence, got a mapping")]
    [InlineData("out_channels: 3000000000", "model.options.out_channels",
        "expected an integer between -2147483648 and 2147483647, got '3000000000'")]
    [InlineData("out_channels: ~", "model.options.out_channels", "expected an integer, got null")]
    [InlineData("dropout: 0.5", "model.options.dropout", "expected a mapping, got '0.5'")]
    [InlineData("dropout: { spatial: maybe }", "model.options.dropout.spatial", "expected true or false, got 'maybe'")]
    [InlineData("layer_scale: big", "model.options.layer_scale", "expected a number, got 'big'")]
    [InlineData("tags: [a, [b]]", "model.options.tags[1]", "expected a string, got a sequence")]
    public void WrongTypesNameWhatWasExpected(string option, string path, string message)
    {
        var yaml = Quickstart.Replace("out_channels: 4, feature_sizes: [16, 32, 64, 128]", option);

        var error = ErrorAt(Fail(yaml), path);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void MissingRequiredOptionIsReportedAtTheEnclosingMapping()
    {
        var yaml = Quickstart.Replace("options: { dataset: phantoms, model: train }", "options: { model: train }");

        var error = ErrorAt(Fail(yaml), "stages[1].options.dataset");

        Assert.Equal("missing required key 'dataset'", error.Message);
        AssertLocatedAt(error, yaml, "{ model: train }");
    }

    [Fact]
    public void MissingRequiredOptionWithoutOptionsIsReportedAtTheSection()
    {
        const string yaml = """
            name: no-options
            model: { backbone: 3d-ux-net }
            stages:
              - name: train
                plugin: train
            """;

        var error = ErrorAt(Fail(yaml), "stages[0].options.dataset");

        Assert.Equal("missing required key 'dataset'", error.Message);
        AssertLocatedAt(error, yaml, "name: train");
    }

    [Fact]
    public void EmptyRequiredStringIsRejected()
    {
        var yaml = Quickstart.Replace("{ dataset: phantoms, iterations: 200 }", "{ dataset: '', iterations: 200 }");

        Assert.Equal("must not be empty", ErrorAt(Fail(yaml), "stages[0].options.dataset").Message);
    }

    [Fact]
    public void UnknownPluginListsTheAvailableNamesAtThePluginLine()
    {
        var yaml = Quickstart.Replace("plugin: train", "plugin: trian");

        var error = Assert.Single(Fail(yaml).Errors);

        Assert.Equal("stages[0].plugin", error.Path);
        AssertLocatedAt(error, yaml, "trian");
        Assert.Equal("unknown stage plugin 'trian'; available stage plugins: train, validate", error.Message);
    }

    [Fact]
    public void PluginOfTheWrongKindSaysWhatKindItIs()
    {
        var yaml = Quickstart.Replace("plugin: train", "plugin: synthetic");

        var error = ErrorAt(Fail(yaml), "stages[0].plugin");

        Assert.Equal(
            "unknown stage plugin 'synthetic' ('synthetic' is a dataset plugin); available stage plugins: train, validate",
            error.Message);
    }

    [Fact]
    public void UnknownBackboneIsReportedAtTheBackboneLine()
    {
        var yaml = Quickstart.Replace("backbone: 3d-ux-net", "backbone: unetr");

        var error = ErrorAt(Fail(yaml), "model.backbone");

        AssertLocatedAt(error, yaml, "unetr");
        Assert.Equal("unknown backbone plugin 'unetr'; available backbone plugins: 3d-ux-net", error.Message);
    }

    [Fact]
    public void RangeViolationsNameTheBounds()
    {
        var yaml = Quickstart
            .Replace("cases: 12", "cases: 0")
            .Replace("plugin: none\n  options: {}", "plugin: frequency\n  options: { sigma: 0, kernels: [7] }");

        var exception = Fail(yaml);

        Assert.Equal("must be at least 1 and at most 10000, got 0", ErrorAt(exception, "datasets.phantoms.options.cases").Message);
        Assert.Equal("must be greater than 0 and at most 1, got 0", ErrorAt(exception, "prior.options.sigma").Message);
    }

    [Fact]
    public void ValidatableOptionsProblemsAreLocatedAtTheirKey()
    {
        var yaml = Quickstart.Replace("feature_sizes: [16, 32, 64, 128]", "feature_sizes: [16, 32]");

        var error = ErrorAt(Fail(yaml), "model.options.feature_sizes");

        Assert.Equal("needs 4 sizes, one per encoder level, got 2", error.Message);
        AssertLocatedAt(error, yaml, "[16, 32]");
    }

    [Fact]
    public void AllErrorsAreCollectedAndListedTopToBottom()
    {
        var yaml = Quickstart
            .Replace("seed: 42", "seed: forty-two")
            .Replace("device: cpu", "device: gpu")
            .Replace("size: 48", "sise: 48")
            .Replace("plugin: validate", "plugin: valdate");

        var exception = Fail(yaml);

        Assert.Equal(["seed", "device", "datasets.phantoms.options.sise", "stages[1].plugin"], exception.Errors.Select(error => error.Path));
        Assert.Equal(
            """
            quickstart.yaml:2:7: seed: expected an integer, got 'forty-two'
            quickstart.yaml:3:9: device: expected one of [auto, cpu, cuda], got 'gpu'
            quickstart.yaml:8:27: datasets.phantoms.options.sise: unknown key 'sise' (did you mean 'size'?); valid keys: cases, size, noise_std
            quickstart.yaml:20:13: stages[1].plugin: unknown stage plugin 'valdate'; available stage plugins: train, validate
            """.ReplaceLineEndings(Environment.NewLine),
            exception.Message);
    }

    [Fact]
    public void BadYamlSyntaxIsAnErrorWithAPosition()
    {
        const string yaml = "name: broken\nmodel:\n  backbone: 3d-ux-net\n   options: {}\n";

        var error = Assert.Single(Fail(yaml).Errors);

        Assert.Equal("", error.Path);
        Assert.Equal(4, error.Location.Line);
        Assert.StartsWith("invalid YAML: ", error.Message);
        Assert.StartsWith("quickstart.yaml:4:", error.ToString());
    }

    [Fact]
    public void UnclosedFlowSequenceIsAnErrorWithAPosition()
    {
        const string yaml = "name: broken\nseed: [1, 2\nstages: []\n";

        var error = Assert.Single(Fail(yaml).Errors);

        Assert.StartsWith("invalid YAML", error.Message);
        Assert.InRange(error.Location.Line, 2, 3);
    }

    [Fact]
    public void DuplicateKeysAreRejected()
    {
        var yaml = Quickstart.Replace("seed: 42", "seed: 42\nseed: 43");

        var error = Assert.Single(Fail(yaml).Errors);

        Assert.Contains("Duplicate key", error.Message);
        Assert.Equal(3, error.Location.Line);
    }

    [Theory]
    [InlineData("", "quickstart.yaml:1:1: the manifest is empty")]
    [InlineData("# nothing here\n", "quickstart.yaml:1:1: the manifest is empty")]
    [InlineData("- a\n- b\n", "quickstart.yaml:1:1: expected a mapping at the top level, got a sequence")]
    [InlineData("name: a\n---\nname: b\n", "quickstart.yaml:3:1: expected a single YAML document, found 2")]
    public void TextThatIsNotOneMappingIsRejected(string yaml, string message)
    {
        Assert.Equal(message, Fail(yaml).Message);
    }

    [Theory]
    [InlineData("name: my run", "'my run' is not a valid pipeline name")]
    [InlineData("name: ..", "'..' is not a valid pipeline name")]
    [InlineData("name: [a]", "expected a string, got a sequence")]
    public void PipelineNameMustBeAFolderName(string nameLine, string message)
    {
        var yaml = Quickstart.Replace("name: quickstart", nameLine);

        Assert.StartsWith(message, ErrorAt(Fail(yaml), "name").Message);
    }

    [Fact]
    public void MissingNameAndModelAreReportedAtTheTop()
    {
        const string yaml = """
            stages:
              - { name: train, plugin: train, options: { dataset: phantoms } }
            datasets: { phantoms: { plugin: synthetic } }
            """;

        var exception = Fail(yaml);

        Assert.Equal("missing required key 'name'", ErrorAt(exception, "name").Message);
        Assert.Equal("missing required key 'model'", ErrorAt(exception, "model").Message);
        Assert.All(exception.Errors, error => Assert.Equal((1, 1), (error.Location.Line, error.Location.Column)));
    }

    [Theory]
    [InlineData("stages: []")]
    [InlineData("stages:")]
    public void AtLeastOneStageIsRequired(string stagesLine)
    {
        var yaml = Quickstart[..Quickstart.IndexOf("stages:", StringComparison.Ordinal)] + stagesLine + "\n";

        Assert.Equal("at least one stage is required", ErrorAt(Fail(yaml), "stages").Message);
    }

    [Fact]
    public void StageNamesMustBeUnique()
    {
        var yaml = Quickstart.Replace("name: validate", "name: train").Replace("model: train", "model: phantoms");

        var error = ErrorAt(Fail(yaml), "stages[1].name");

        Assert.Equal(
            "duplicate stage name 'train' (first used at quickstart.yaml:16:11); stage names must be unique",
            error.Message);
        Assert.Equal(19, error.Location.Line);
    }

    [Theory]
    [InlineData("name: 2nd", "stages[1].name", "'2nd' is not a valid stage name")]
    [InlineData("name: fine.tune", "stages[1].name", "'fine.tune' is not a valid stage name")]
    public void StageNamesMustWorkAsOverrideSegments(string nameLine, string path, string message)
    {
        var yaml = Quickstart.Replace("name: validate", nameLine);

        Assert.StartsWith(message, ErrorAt(Fail(yaml), path).Message);
    }

    [Fact]
    public void MissingPluginKeyIsReportedAtTheSection()
    {
        var yaml = Quickstart.Replace("    plugin: synthetic\n", "");

        var error = ErrorAt(Fail(yaml), "datasets.phantoms.plugin");

        Assert.Equal("missing required key 'plugin'", error.Message);
        AssertLocatedAt(error, yaml, "options: { cases");
    }

    [Fact]
    public void ErrorFormatOmitsAnEmptyPath()
    {
        var error = new ManifestError(SourceLocation.InFile("m.yaml", 3, 5), "", "invalid YAML: boom");

        Assert.Equal("m.yaml:3:5: invalid YAML: boom", error.ToString());
    }
}
