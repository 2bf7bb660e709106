using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Blocks;

namespace Pipeline.Tests.Parity;

/// <summary>
/// A <c>SwinUNETR</c> parity fixture folder: its config.json's constructor kwargs mapped onto
/// <see cref="SwinUnetrOptions"/> (MONAI's argument names are the options' keys), and the paths of its weights and
/// reference tensors. <c>downsample: "merging"</c> means <see cref="PatchMergingOrder.MergingLegacy"/> when the
/// fixture was produced with MONAI before 1.5 (config <c>versions.monai</c>, else <c>upstream.ref</c>) and
/// <see cref="PatchMergingOrder.Merging"/> from 1.5 on. <c>img_size</c> only fed MONAI's divisibility check and is
/// ignored; <c>norm_name</c> must be "instance" and <c>spatial_dims</c> 3; any other unknown kwarg fails by name.
/// </summary>
public sealed class SwinUnetrFixture
{
    /// <summary>The fixtures' class name of the original model.</summary>
    public const string FixtureClass = "SwinUNETR";

    private SwinUnetrFixture(string folder, SwinUnetrOptions options, string monaiVersion)
    {
        Folder = folder;
        Options = options;
        MonaiVersion = monaiVersion;
    }

    /// <summary>The fixture folder.</summary>
    public string Folder { get; }

    /// <summary>The folder's name.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>Options equivalent to the fixture's constructor call.</summary>
    public SwinUnetrOptions Options { get; }

    /// <summary>The MONAI version that produced the fixture.</summary>
    public string MonaiVersion { get; }

    /// <summary>Index of the raw weight bundle.</summary>
    public string RawWeightsIndex => Path.Combine(Folder, "state_dict.json");

    /// <summary>The torch.save weight file.</summary>
    public string TorchSaveWeights => Path.Combine(Folder, "state_dict.pt");

    /// <summary>Index of the reference tensors (input, output, features.i).</summary>
    public string TensorsIndex => Path.Combine(Folder, "tensors.json");

    /// <summary>Reads <c>config.json</c> of <paramref name="folder"/>.</summary>
    public static SwinUnetrFixture Load(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        Assert.True(File.Exists(configPath), $"'{configPath}' does not exist.");
        using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        var root = config.RootElement;
        Assert.True(root.TryGetProperty("class", out var cls) && cls.GetString() == FixtureClass,
            $"'{configPath}': expected \"class\": \"{FixtureClass}\".");
        string monaiVersion = MonaiVersionOf(root, configPath);
        bool before15 = VersionBefore(monaiVersion, 1, 5, configPath);

        // MONAI's constructor defaults, for kwargs a config leaves out.
        var options = new SwinUnetrOptions
        {
            InChannels = 1, OutChannels = 2, FeatureSize = 24, Depths = [2, 2, 2, 2], NumHeads = [3, 6, 12, 24],
            Normalize = true, UseV2 = false, Downsample = before15 ? PatchMergingOrder.MergingLegacy : PatchMergingOrder.Merging,
        };
        if (root.TryGetProperty("kwargs", out var kwargs))
        {
            foreach (var kwarg in kwargs.EnumerateObject())
            {
                var value = kwarg.Value;
                switch (kwarg.Name)
                {
                    case "img_size": break; // only fed MONAI's divisibility check
                    case "in_channels": options.InChannels = value.GetInt32(); break;
                    case "out_channels": options.OutChannels = value.GetInt32(); break;
                    case "depths": options.Depths = Ints(value); break;
                    case "num_heads": options.NumHeads = Ints(value); break;
                    case "feature_size": options.FeatureSize = value.GetInt32(); break;
                    case "window_size": options.WindowSize = Cubic(value, kwarg.Name, configPath); break;
                    case "patch_size": options.PatchSize = Cubic(value, kwarg.Name, configPath); break;
                    case "mlp_ratio": options.MlpRatio = value.GetDouble(); break;
                    case "qkv_bias": options.QkvBias = value.GetBoolean(); break;
                    case "drop_rate": options.DropRate = value.GetDouble(); break;
                    case "attn_drop_rate": options.AttnDropRate = value.GetDouble(); break;
                    case "dropout_path_rate": options.DropoutPathRate = value.GetDouble(); break;
                    case "normalize": options.Normalize = value.GetBoolean(); break;
                    case "use_checkpoint": options.UseCheckpoint = value.GetBoolean(); break;
                    case "use_v2": options.UseV2 = value.GetBoolean(); break;
                    case "downsample":
                        options.Downsample = value.GetString() switch
                        {
                            "merging" => before15 ? PatchMergingOrder.MergingLegacy : PatchMergingOrder.Merging,
                            "mergingv2" => PatchMergingOrder.Mergingv2,
                            var other => throw new InvalidDataException($"'{configPath}': downsample '{other}' is not supported (merging, mergingv2)."),
                        };
                        break;
                    case "norm_name":
                        Assert.True(value.GetString() == "instance", $"'{configPath}': norm_name '{value}' is not supported (only \"instance\").");
                        break;
                    case "spatial_dims":
                        Assert.True(value.GetInt32() == 3, $"'{configPath}': spatial_dims {value} is not supported (only 3).");
                        break;
                    default:
                        Assert.Fail($"'{configPath}': kwarg '{kwarg.Name}' is not mapped onto {nameof(SwinUnetrOptions)}.");
                        break;
                }
            }
        }
        return new SwinUnetrFixture(folder, options, monaiVersion);
    }

    private static string MonaiVersionOf(JsonElement root, string configPath)
    {
        if (root.TryGetProperty("versions", out var versions) && versions.TryGetProperty("monai", out var monai) && monai.GetString() is { } v)
            return v;
        if (root.TryGetProperty("upstream", out var upstream) && upstream.TryGetProperty("ref", out var reference) && reference.GetString() is { } r)
            return r;
        Assert.Fail($"'{configPath}' names no MONAI version (versions.monai or upstream.ref); the patch-merging order depends on it.");
        return "";
    }

    /// <summary>Whether "major.minor[.patch…]" is before <paramref name="major"/>.<paramref name="minor"/>.</summary>
    private static bool VersionBefore(string version, int major, int minor, string configPath)
    {
        var match = Regex.Match(version, @"^v?(\d+)\.(\d+)");
        if (!match.Success)
        {
            Assert.Fail($"'{configPath}': cannot read the MONAI version '{version}' as major.minor.");
            return false;
        }
        int versionMajor = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int versionMinor = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return versionMajor < major || (versionMajor == major && versionMinor < minor);
    }

    private static int[] Ints(JsonElement value) => value.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>An int, or a list of equal ints (MONAI accepts both for window_size and patch_size).</summary>
    private static int Cubic(JsonElement value, string name, string configPath)
    {
        if (value.ValueKind == JsonValueKind.Number) return value.GetInt32();
        var sizes = Ints(value);
        Assert.True(sizes.Length == 3 && sizes.All(s => s == sizes[0]), $"'{configPath}': {name} {value} is not cubic (only equal sizes are supported).");
        return sizes[0];
    }
}
