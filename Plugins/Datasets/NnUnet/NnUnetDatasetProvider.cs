using System.Text.Json.Nodes;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.NnUnet;

/// <summary>
/// The <c>nnunet</c> dataset plugin: an nnU-Net v2 raw folder as published — <c>dataset.json</c> with
/// <c>channel_names</c>, <c>labels</c> (name → value, or name → list of values for regions), <c>file_ending</c> and
/// <c>numTraining</c>; one file per channel <c>imagesTr/{case}_{XXXX}{file_ending}</c>, labels
/// <c>labelsTr/{case}{file_ending}</c>, optional <c>imagesTs/</c>.
/// Regions (overlapping label sets, nnU-Net's region-based training) become exclusive classes: each stored value
/// takes the smallest region containing it, the inverse of nnU-Net's <c>regions_class_order</c> rasterisation.
/// </summary>
[ExportDataset("nnunet", "1.0.0", "nnU-Net v2 raw dataset folder (dataset.json, {case}_{XXXX} channel files, labelsTr).")]
public sealed class NnUnetDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(NnUnetDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<NnUnetDatasetOptions>(options, context);
        string root = typed.RootPath;
        var index = JsonDatasetIndex.Load(context.Name, Path.Combine(root, "dataset.json"));
        var channelNames = index.RequireObject(index.Root.ContainsKey("channel_names") ? "channel_names" : "modality");
        int channels = channelNames.Count;
        if (channels == 0) throw index.Error("channel_names", "is empty");
        string ending = index.RequireString(index.Root["file_ending"], "file_ending");
        var labels = ReadLabels(index);

        // Training cases are the first-channel files of imagesTr (as nnU-Net finds them); each needs its label.
        string imagesFolder = Path.Combine(root, "imagesTr");
        if (!Directory.Exists(imagesFolder)) throw new InvalidDatasetException(context.Name, $"folder '{imagesFolder}' not found; nnU-Net raw data keeps training images there");
        var cases = FirstChannelIds(imagesFolder, ending)
            .Select(id => new CaseFiles(id, ChannelFiles(imagesFolder, id, channels, ending), Path.Combine(root, "labelsTr", id + ending)))
            .ToList();
        if (index.Root["numTraining"] is { } declared && index.RequireInt(declared, "numTraining") != cases.Count)
            throw index.Error("numTraining", $"says {index.RequireInt(declared, "numTraining")} but imagesTr holds {cases.Count} case(s) (files *_0000{ending})");

        string testFolder = Path.Combine(root, "imagesTs");
        if (Directory.Exists(testFolder))
            cases.AddRange(FirstChannelIds(testFolder, ending).Select(id => new CaseFiles(id, ChannelFiles(testFolder, id, channels, ending), null)));
        return FileDatasetOpening.Open(typed, context, cases, labels, channels, publishedValidation: null);
    }

    private static IEnumerable<string> FirstChannelIds(string folder, string ending)
    {
        string firstChannel = "_0000" + ending;
        return Directory.EnumerateFiles(folder, "*" + firstChannel).Select(Path.GetFileName).OfType<string>()
            .Where(name => !name.StartsWith('.')).Select(name => name[..^firstChannel.Length]).Order(StringComparer.Ordinal);
    }

    private static IReadOnlyList<string> ChannelFiles(string folder, string id, int channels, string ending) =>
        Enumerable.Range(0, channels).Select(c => Path.Combine(folder, $"{id}_{c:0000}{ending}")).ToList();

    /// <summary>Reads <c>labels</c> (name → value or name → [values]) into stored value → name.</summary>
    internal static Dictionary<int, string> ReadLabels(JsonDatasetIndex index)
    {
        var regions = new List<(string Name, int[] Values)>();
        foreach (var (name, node) in index.RequireObject("labels"))
        {
            int[] values = node is JsonArray list
                ? list.Select((v, n) => index.RequireInt(v, $"labels.{name}[{n}]")).ToArray()
                : [index.RequireInt(node, $"labels.{name}")];
            if (values.Length == 0) throw index.Error($"labels.{name}", "an empty region");
            regions.Add((name, values));
        }
        var result = new Dictionary<int, string>();
        foreach (var value in regions.SelectMany(r => r.Values).Distinct())
        {
            // The smallest region containing the value; among equals the later one (it is drawn last by nnU-Net).
            var owner = regions.Select((r, order) => (r, order)).Where(x => x.r.Values.Contains(value))
                .OrderBy(x => x.r.Values.Length).ThenByDescending(x => x.order).First().r;
            result[value] = owner.Name;
        }
        if (!result.ContainsKey(0)) throw index.Error("labels", "must map \"background\" to 0");
        return result;
    }
}
