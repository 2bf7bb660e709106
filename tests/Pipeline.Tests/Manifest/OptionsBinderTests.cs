using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Manifest;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Manifest;

public class OptionsBinderTests
{
    private readonly ManifestDiagnostics diagnostics = new(new NodeLocator("options.yaml"));

    private static YamlNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    private T Bind<T>(string yaml)
    {
        var node = Yaml(yaml);
        return (T)new OptionsBinder(diagnostics).Bind(typeof(T), node, node, "options").Value;
    }

    private ManifestError SingleError() => Assert.Single(diagnostics.Errors);

    [Theory]
    [InlineData("norm: batch", NormKind.Batch)]
    [InlineData("norm: group_norm", NormKind.GroupNorm)]
    [InlineData("norm: group-norm", NormKind.GroupNorm)]
    [InlineData("norm: Group-Norm", NormKind.GroupNorm)]
    [InlineData("norm: INSTANCE", NormKind.Instance)]
    public void EnumsAcceptSnakeOrKebabCaseInAnyLetterCase(string yaml, NormKind expected)
    {
        Assert.Equal(expected, Bind<UxNetOptions>(yaml).Norm);
        Assert.Empty(diagnostics.Errors);
    }

    [Theory]
    [InlineData("norm: layer", "'layer'")]
    [InlineData("norm: groupnorm", "'groupnorm'")]
    [InlineData("norm: 1", "'1'")]
    public void UnknownEnumValuesListTheValidOnes(string yaml, string got)
    {
        Bind<UxNetOptions>(yaml);

        Assert.Equal($"expected one of [instance, batch, group_norm], got {got}", SingleError().Message);
    }

    [Fact]
    public void NullableValuesAcceptNull()
    {
        Assert.Null(Bind<UxNetOptions>("layer_scale: ~").LayerScale);
        Assert.Equal(0.5f, Bind<UxNetOptions>("layer_scale: 0.5").LayerScale);
        Assert.Null(Bind<TrainOptions>("{ dataset: d, resume_from: null }").ResumeFrom);
        Assert.Empty(diagnostics.Errors);
    }

    [Fact]
    public void NonNullableTextRejectsNull()
    {
        Bind<TrainOptions>("dataset: ~");

        var error = SingleError();
        Assert.Equal("options.dataset", error.Path);
        Assert.Equal("expected a string, got null", error.Message);
    }

    [Fact]
    public void ScalarsAreReadByTheirText()
    {
        var options = Bind<UxNetOptions>("{ out_channels: '3', tags: [7, true, 'null'], max_voxels: 12345678901, layer_scale: 1e-3 }");

        Assert.Equal(3, options.OutChannels);
        Assert.Equal(["7", "true", "null"], options.Tags);
        Assert.Equal(12345678901L, options.MaxVoxels);
        Assert.Equal(1e-3f, options.LayerScale);
        Assert.Empty(diagnostics.Errors);
    }

    [Fact]
    public void NestedMappingsKeepTheDefaultsOfAbsentKeys()
    {
        var options = Bind<UxNetOptions>("dropout: { rate: 0.3 }");

        Assert.Equal(0.3, options.Dropout.Rate);
        Assert.True(options.Dropout.Spatial);
    }

    [Fact]
    public void DictionariesBindTheirEntriesInOrder()
    {
        var options = Bind<UxNetOptions>("class_weights: { tumor: 5, liver: 1.5 }");

        Assert.Equal(["tumor", "liver"], options.ClassWeights.Keys);
        Assert.Equal([5.0, 1.5], options.ClassWeights.Values);
    }

    [Fact]
    public void DictionaryValueErrorsCarryTheEntryPath()
    {
        Bind<UxNetOptions>("class_weights: { tumor: heavy }");

        Assert.Equal("options.class_weights.tumor", SingleError().Path);
    }

    [Fact]
    public void YamlMemberAliasRenamesTheKey()
    {
        Assert.Equal([3, 5], Bind<FrequencyPriorOptions>("kernels: [3, 5]").KernelSizes);

        Bind<FrequencyPriorOptions>("kernel_sizes: [3]");
        Assert.Equal("unknown key 'kernel_sizes'; valid keys: sigma, kernels", SingleError().Message);
    }

    [Fact]
    public void SpecialFloatsUseYamlSpellings()
    {
        Assert.Equal(double.PositiveInfinity, Bind<DropoutOptions>("rate: .inf").Rate);
        Assert.True(double.IsNaN(Bind<DropoutOptions>("rate: .nan").Rate));

        Bind<DropoutOptions>("rate: 1e999");
        Assert.Equal("expected a number, got '1e999'", SingleError().Message);
    }

    [Fact]
    public void OptionsMustBeAMapping()
    {
        var options = Bind<DropoutOptions>("[1, 2]");

        Assert.Equal("expected a mapping of options, got a sequence", SingleError().Message);
        Assert.True(options.Spatial);
    }

    [Fact]
    public void RangeAppliesToEachListItem()
    {
        Bind<RangedListOptions>("sizes: [8, 0, 16]");

        var error = SingleError();
        Assert.Equal("options.sizes[1]", error.Path);
        Assert.Equal("must be at least 1 and at most 512, got 0", error.Message);
        Assert.Equal((1, 12), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void OtherDataAnnotationsUseTheirOwnMessage()
    {
        Bind<RangedListOptions>("name: ab");

        Assert.Contains("name", SingleError().Message);
        Assert.Equal("options.name", SingleError().Path);
    }

    [Fact]
    public void ValidationOfAnAbsentKeyPointsAtTheMapping()
    {
        Bind<PairedOptions>("\nlow: 5");

        var error = SingleError();
        Assert.Equal("options.high", error.Path);
        Assert.Equal("must be greater than low (5), got 0", error.Message);
        Assert.Equal((2, 1), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void ValidationIsSkippedWhenBindingFailed()
    {
        Bind<PairedOptions>("{ low: x, high: 0 }");

        Assert.Equal("options.low", SingleError().Path);
    }

    [Fact]
    public void ReferencesAreCollectedWithTheirLocations()
    {
        var node = Yaml("dataset: a\nmodel: train\nalso_on: [b, c]");

        var bound = new OptionsBinder(diagnostics).Bind(typeof(ValidateOptions), node, node, "stages[1].options");

        Assert.Equal(
            ["Dataset a stages[1].options.dataset 1", "Stage train stages[1].options.model 2",
             "Dataset b stages[1].options.also_on[0] 3", "Dataset c stages[1].options.also_on[1] 3"],
            bound.References.Select(reference => $"{reference.Target} {reference.Name} {reference.Path} {reference.Location.Line}"));
    }

    [Fact]
    public void TryBindValueReadsSingleValues()
    {
        var binder = new OptionsBinder(diagnostics);

        Assert.True(binder.TryBindValue(typeof(NormKind), Yaml("group-norm"), "norm", out var norm));
        Assert.Equal(NormKind.GroupNorm, norm);
        Assert.True(binder.TryBindValue(typeof(int?), Yaml("~"), "x", out var nothing));
        Assert.Null(nothing);
        Assert.False(binder.TryBindValue(typeof(long), Yaml("~"), "seed", out _));
        Assert.Equal("options.yaml:1:1: seed: expected an integer, got null", SingleError().ToString());
    }

    [Fact]
    public void UnsupportedOptionTypesAreAPluginBug()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Bind<UnsupportedOptions>("{}"));

        Assert.Contains("UnsupportedOptions.Started", exception.Message);
    }

    [Fact]
    public void OptionsTypesNeedAParameterlessConstructor()
    {
        Assert.Throws<InvalidOperationException>(() => Bind<NoDefaultConstructorOptions>("{}"));
    }

    [Fact]
    public void TagsCannotChooseATypeToCreate()
    {
        var options = Bind<UxNetOptions>("dropout: !System.IO.FileInfo { rate: 0.5 }");

        Assert.IsType<DropoutOptions>(options.Dropout);
        Assert.Equal(0.5, options.Dropout.Rate);
    }

    public sealed class RangedListOptions
    {
        [Range(1, 512)]
        public List<int> Sizes { get; set; } = [];

        [MinLength(3)]
        public string Name { get; set; } = "default";
    }

    public sealed class PairedOptions : IValidatableOptions
    {
        public int Low { get; set; }

        public int High { get; set; }

        public IEnumerable<(string Key, string Message)> Validate()
        {
            if (High <= Low)
                yield return ("high", $"must be greater than low ({Low}), got {High}");
        }
    }

    public sealed class UnsupportedOptions
    {
        public DateTime Started { get; set; }
    }

    public sealed class NoDefaultConstructorOptions(int size)
    {
        public int Size { get; set; } = size;
    }
}
