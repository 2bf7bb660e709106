using System.Text.Json;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Priors.Bfr;

namespace Pipeline.Tests.Parity;

/// <summary>
/// A <c>REPUXNET</c> parity fixture folder: its config.json's constructor kwargs mapped onto
/// <see cref="RepUxNet3DOptions"/> (<c>in_chans, out_chans, depths, feat_size, hidden_size, ks</c>; <c>head_fix</c> →
/// <see cref="RepUxNet3DOptions.HeadFollowsFeatureSize"/>) and the BFR α (<c>a</c>) onto <see cref="BfrOptions.Alpha"/>,
/// plus the paths of its weights and reference tensors. <c>deploy</c> must be false (the fixture then holds both
/// the BFR and the deploy outputs); kwargs the original ignores (<c>drop_path_rate</c>, <c>layer_scale_init_value</c>,
/// <c>conv_block</c>) are accepted with any value; anything else unknown fails the test by name.
/// </summary>
public sealed class RepUxNetFixture
{
    /// <summary>The fixtures' class name of the original model.</summary>
    public const string FixtureClass = "REPUXNET";

    private RepUxNetFixture(string folder, RepUxNet3DOptions options, double alpha)
    {
        Folder = folder;
        Options = options;
        Alpha = alpha;
    }

    /// <summary>The fixture folder.</summary>
    public string Folder { get; }

    /// <summary>The folder's name.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>Backbone options equivalent to the fixture's constructor call.</summary>
    public RepUxNet3DOptions Options { get; }

    /// <summary>The BFR α (<c>a</c>).</summary>
    public double Alpha { get; }

    /// <summary>The depthwise kernel size (<c>ks</c>).</summary>
    public int KernelSize => Options.KernelSize;

    /// <summary>Index of the raw weight bundle.</summary>
    public string RawWeightsIndex => Path.Combine(Folder, "state_dict.json");

    /// <summary>The torch.save weight file.</summary>
    public string TorchSaveWeights => Path.Combine(Folder, "state_dict.pt");

    /// <summary>Index of the reference tensors.</summary>
    public string TensorsIndex => Path.Combine(Folder, "tensors.json");

    /// <summary>The fixture's state_dict keys and shapes (keys.txt).</summary>
    public string KeysFile => Path.Combine(Folder, "keys.txt");

    /// <summary>Reads <c>config.json</c> of <paramref name="folder"/>.</summary>
    public static RepUxNetFixture Load(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        Assert.True(File.Exists(configPath), $"'{configPath}' does not exist.");
        using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        var root = config.RootElement;
        Assert.True(root.TryGetProperty("class", out var cls) && cls.GetString() == FixtureClass,
            $"'{configPath}': expected \"class\": \"{FixtureClass}\".");

        // The original constructor's defaults, for kwargs a config leaves out.
        var options = new RepUxNet3DOptions
        {
            InChannels = 1, OutChannels = 13, Depths = new[] { 2, 2, 2, 2 }, FeatureSizes = new[] { 48, 96, 192, 384 },
            HiddenSize = 768, KernelSize = 21,
        };
        double alpha = 1;
        if (root.TryGetProperty("kwargs", out var kwargs))
        {
            foreach (var kwarg in kwargs.EnumerateObject())
            {
                var value = kwarg.Value;
                switch (kwarg.Name)
                {
                    case "in_chans": options.InChannels = value.GetInt32(); break;
                    case "out_chans": options.OutChannels = value.GetInt32(); break;
                    case "depths": options.Depths = value.EnumerateArray().Select(v => v.GetInt32()).ToArray(); break;
                    case "feat_size": options.FeatureSizes = value.EnumerateArray().Select(v => v.GetInt32()).ToArray(); break;
                    case "hidden_size": options.HiddenSize = value.GetInt32(); break;
                    case "ks": options.KernelSize = value.GetInt32(); break;
                    case "a": alpha = value.GetDouble(); break;
                    case "drop_path_rate" or "layer_scale_init_value" or "conv_block": break; // unused by the original
                    case "deploy":
                        Assert.False(value.GetBoolean(), $"'{configPath}': deploy true is not supported (the fixture must hold the BFR outputs).");
                        break;
                    case "norm_name":
                        Assert.True(value.GetString() == "instance", $"'{configPath}': norm_name '{value}' is not supported (only \"instance\").");
                        break;
                    case "res_block":
                        Assert.True(value.GetBoolean(), $"'{configPath}': res_block false is not supported (only true).");
                        break;
                    case "spatial_dims":
                        Assert.True(value.GetInt32() == 3, $"'{configPath}': spatial_dims {value} is not supported (only 3).");
                        break;
                    default:
                        Assert.Fail($"'{configPath}': kwarg '{kwarg.Name}' is not mapped onto {nameof(RepUxNet3DOptions)}.");
                        break;
                }
            }
        }
        options.HeadFollowsFeatureSize = root.TryGetProperty("head_fix", out var headFix) && headFix.GetBoolean();
        return new RepUxNetFixture(folder, options, alpha);
    }
}
