using System.ComponentModel.DataAnnotations;
using NSubstitute;
using Pipeline.Core.Composition;
using Pipeline.Core.Plugins;
using YamlDotNet.Serialization;

namespace Pipeline.Tests.Manifest;

public enum NormKind
{
    Instance,
    Batch,
    GroupNorm,
}

public sealed class SyntheticDatasetOptions
{
    [Range(1, 10_000)]
    public int Cases { get; set; } = 8;

    public int Size { get; set; } = 32;

    public double NoiseStd { get; set; } = 0.1;
}

public sealed class FolderDatasetOptions
{
    [Required]
    public string? Root { get; set; }
}

public sealed class DropoutOptions
{
    public double Rate { get; set; }

    public bool Spatial { get; set; } = true;
}

public sealed class UxNetOptions : IValidatableOptions
{
    public int InChannels { get; set; } = 1;

    public int OutChannels { get; set; } = 2;

    public int[] FeatureSizes { get; set; } = [48, 96, 192, 384];

    public NormKind Norm { get; set; } = NormKind.Instance;

    public float? LayerScale { get; set; }

    public DropoutOptions Dropout { get; set; } = new();

    public Dictionary<string, double> ClassWeights { get; set; } = new();

    public List<string> Tags { get; set; } = [];

    public long MaxVoxels { get; set; } = 1L << 33;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (FeatureSizes.Length != 4)
            yield return ("feature_sizes", $"needs 4 sizes, one per encoder level, got {FeatureSizes.Length}");
    }
}

public sealed class NoPriorOptions;

public sealed class FrequencyPriorOptions
{
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double Sigma { get; set; } = 0.5;

    [YamlMember(Alias = "kernels")]
    public List<int> KernelSizes { get; set; } = [7];
}

public sealed class TrainOptions : IValidatableOptions
{
    [Required, DatasetReference]
    public string Dataset { get; set; } = "";

    [Range(1, 1_000_000)]
    public int Iterations { get; set; } = 100;

    public double LearningRate { get; set; } = 1e-4;

    public int[] RoiSize { get; set; } = [96, 96, 96];

    public string? ResumeFrom { get; set; }

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (RoiSize.Length != 3)
            yield return ("roi_size", $"needs 3 sizes (x, y, z), got {RoiSize.Length}");
    }
}

public sealed class ValidateOptions
{
    [Required, DatasetReference]
    public string Dataset { get; set; } = "";

    [Required, StageReference]
    public string Model { get; set; } = "";

    [DatasetReference]
    public List<string> AlsoOn { get; set; } = [];
}

/// <summary>A plugin that only names its options type, which is all the manifest layer asks of a plugin.</summary>
internal sealed class FakePlugin(Type optionsType) : IConfigurablePlugin
{
    public Type OptionsType => optionsType;
}

/// <summary>An NSubstitute catalog holding the fake plugins above.</summary>
internal static class TestCatalog
{
    private static Dictionary<(PluginKind Kind, string Name), Type> Plugins() => new()
    {
        [(PluginKind.Dataset, "synthetic")] = typeof(SyntheticDatasetOptions),
        [(PluginKind.Dataset, "folder")] = typeof(FolderDatasetOptions),
        [(PluginKind.Backbone, "3d-ux-net")] = typeof(UxNetOptions),
        [(PluginKind.Prior, "none")] = typeof(NoPriorOptions),
        [(PluginKind.Prior, "frequency")] = typeof(FrequencyPriorOptions),
        [(PluginKind.Stage, "train")] = typeof(TrainOptions),
        [(PluginKind.Stage, "validate")] = typeof(ValidateOptions),
    };

    public static IPluginCatalog Create()
    {
        var plugins = Plugins();
        var catalog = Substitute.For<IPluginCatalog>();
        catalog.Plugins.Returns(plugins.Keys
            .OrderBy(key => key.Kind).ThenBy(key => key.Name, StringComparer.Ordinal)
            .Select(key => new PluginInfo(key.Kind, key.Name, "1.0.0", "test plugin", "tests.dll"))
            .ToList());
        catalog.Failures.Returns([]);
        catalog.Contains(Arg.Any<PluginKind>(), Arg.Any<string>())
            .Returns(call => plugins.ContainsKey((call.ArgAt<PluginKind>(0), call.ArgAt<string>(1))));
        catalog.Get(Arg.Any<PluginKind>(), Arg.Any<string>()).Returns(call =>
        {
            var key = (call.ArgAt<PluginKind>(0), call.ArgAt<string>(1));
            return plugins.TryGetValue(key, out var optionsType)
                ? new FakePlugin(optionsType)
                : throw new UnknownPluginException(key.Item1, key.Item2, []);
        });
        return catalog;
    }
}
