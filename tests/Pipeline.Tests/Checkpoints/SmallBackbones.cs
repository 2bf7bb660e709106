using Pipeline.Core.Composition;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Models;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>Small 3d-ux-net and repux-net configurations (a few hundred thousand parameters) for fast checkpoint tests.</summary>
public static class SmallBackbones
{
    /// <summary>The backbone plugin names the tests use.</summary>
    public static IEnumerable<object[]> Names => [["3d-ux-net"], ["repux-net"]];

    /// <summary>Options of a small network of <paramref name="backbone"/>.</summary>
    public static object Options(string backbone) => backbone switch
    {
        "3d-ux-net" => new UxNet3DOptions
        {
            OutChannels = 2, FeatureSizes = [4, 8, 16, 32], HiddenSize = 32, KernelSize = 3, HeadFollowsFeatureSize = true,
        },
        "repux-net" => new RepUxNet3DOptions
        {
            OutChannels = 2, FeatureSizes = [4, 8, 16, 32], HiddenSize = 32, KernelSize = 7, HeadFollowsFeatureSize = true,
        },
        _ => throw new ArgumentException($"No small configuration for '{backbone}'.", nameof(backbone)),
    };

    /// <summary>The <c>--set</c> arguments equal to <see cref="Options"/>.</summary>
    public static string[] SetArguments(string backbone) =>
    [
        "--set", "out_channels=2", "--set", "feature_sizes=[4,8,16,32]", "--set", "hidden_size=32",
        "--set", $"kernel_size={(backbone == "repux-net" ? 7 : 3)}", "--set", "head_follows_feature_size=true",
    ];

    /// <summary>Builds the small <paramref name="backbone"/> with every parameter and buffer set from <paramref name="seed"/>.</summary>
    public static SegmentationNetwork Build(IPluginCatalog catalog, string backbone, ulong seed)
    {
        var network = ((IBackbone)catalog.Get(PluginKind.Backbone, backbone)).Build(Options(backbone));
        Randomize(network, seed);
        network.eval();
        return network;
    }

    /// <summary>Overwrites every floating-point parameter and buffer with seeded values (positive ones for variances).</summary>
    public static void Randomize(nn.Module network, ulong seed)
    {
        var generator = new Generator(seed);
        using var scope = NewDisposeScope();
        using (no_grad())
            foreach (var (name, value) in network.state_dict())
            {
                if (!value.is_floating_point()) continue;
                var noise = 0.1 * randn(value.shape, generator: generator);
                value.copy_(name.EndsWith("running_var", StringComparison.Ordinal) ? noise.abs() + 0.5 : noise);
            }
    }

    /// <summary>A seeded 1-channel input volume of edge <paramref name="size"/>.</summary>
    public static Tensor Input(int size, ulong seed) => randn(new long[] { 1, 1, size, size, size }, generator: new Generator(seed));
}
