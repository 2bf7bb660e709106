using System.Text.Json;
using Pipeline.Plugins.Models;

namespace Pipeline.Tests.Parity;

/// <summary>
/// A <c>UXNET</c> parity fixture folder: its config.json's constructor kwargs mapped onto <see cref="UxNet3DOptions"/>
/// (<c>in_chans, out_chans, depths, feat_size, hidden_size, layer_scale_init_value, drop_path_rate</c>; <c>head_fix</c>
/// → <see cref="UxNet3DOptions.HeadFollowsFeatureSize"/>), and the paths of its weights and reference tensors.
/// Kwargs the port does not model must hold the only value it supports; anything else fails the test by name.
/// </summary>
public sealed class UxNetFixture
{
    private UxNetFixture(string folder, UxNet3DOptions options)
    {
        Folder = folder;
        Options = options;
    }

    /// <summary>The fixture folder.</summary>
    public string Folder { get; }

    /// <summary>The folder's name.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>Options equivalent to the fixture's constructor call.</summary>
    public UxNet3DOptions Options { get; }

    /// <summary>Index of the raw weight bundle.</summary>
    public string RawWeightsIndex => Path.Combine(Folder, "state_dict.json");

    /// <summary>The torch.save weight file.</summary>
    public string TorchSaveWeights => Path.Combine(Folder, "state_dict.pt");

    /// <summary>Index of the reference tensors (input, output, features.i).</summary>
    public string TensorsIndex => Path.Combine(Folder, "tensors.json");

    /// <summary>Reads <c>config.json</c> of <paramref name="folder"/>.</summary>
    public static UxNetFixture Load(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        Assert.True(File.Exists(configPath), $"'{configPath}' does not exist.");
        using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        var root = config.RootElement;
        Assert.True(root.TryGetProperty("class", out var cls) && cls.GetString() == "UXNET",
            $"'{configPath}': expected \"class\": \"UXNET\".");

        // The original constructor's defaults, for kwargs a config leaves out.
        var options = new UxNet3DOptions
        {
            InChannels = 1, OutChannels = 13, Depths = new[] { 2, 2, 2, 2 }, FeatureSizes = new[] { 48, 96, 192, 384 },
            HiddenSize = 768, LayerScaleInitValue = 1e-6, DropPathRate = 0,
        };
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
                    case "layer_scale_init_value": options.LayerScaleInitValue = value.GetDouble(); break;
                    case "drop_path_rate": options.DropPathRate = value.GetDouble(); break;
                    case "conv_block": break; // unused by the original
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
                        Assert.Fail($"'{configPath}': kwarg '{kwarg.Name}' is not mapped onto {nameof(UxNet3DOptions)}.");
                        break;
                }
            }
        }
        options.HeadFollowsFeatureSize = root.TryGetProperty("head_fix", out var headFix) && headFix.GetBoolean();
        return new UxNetFixture(folder, options);
    }
}
