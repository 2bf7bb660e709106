using System.Text.Json.Nodes;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.Msd;

/// <summary>
/// The <c>msd</c> dataset plugin: a Medical Segmentation Decathlon task folder as published — <c>dataset.json</c>
/// (<c>labels</c> value → name, <c>modality</c> index → name, <c>training</c> image/label pairs, <c>test</c> images),
/// <c>imagesTr/</c>, <c>labelsTr/</c>, <c>imagesTs/</c>. Multi-modal tasks store one 4-D file per case whose last
/// dimension is the modality.
/// </summary>
[ExportDataset("msd", "1.0.0", "Medical Segmentation Decathlon task folder (dataset.json, imagesTr, labelsTr, imagesTs).")]
public sealed class MsdDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(MsdDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<MsdDatasetOptions>(options, context);
        var index = JsonDatasetIndex.Load(context.Name, Path.Combine(typed.RootPath, "dataset.json"));
        var labels = ReadIntKeyedNames(index, "labels");
        int channels = ReadIntKeyedNames(index, "modality").Count;
        var cases = new List<CaseFiles>();
        var training = index.OptionalArray("training") ?? throw index.Error("training", "missing (required)");
        for (int n = 0; n < training.Count; n++)
        {
            if (training[n] is not JsonObject entry) throw index.Error($"training[{n}]", "expected an object with 'image' and 'label'");
            string image = JsonDatasetIndex.ResolvePath(typed.RootPath, index.RequireString(entry["image"], $"training[{n}].image"));
            string label = JsonDatasetIndex.ResolvePath(typed.RootPath, index.RequireString(entry["label"], $"training[{n}].label"));
            cases.Add(new CaseFiles(NiftiFileNames.CaseName(image), [image], label));
        }
        var test = index.OptionalArray("test") ?? [];
        for (int n = 0; n < test.Count; n++)
        {
            // The v1 decathlon lists test images as plain strings; some re-releases use {"image": ...}.
            var node = test[n] is JsonObject obj ? obj["image"] : test[n];
            string image = JsonDatasetIndex.ResolvePath(typed.RootPath, index.RequireString(node, $"test[{n}]"));
            cases.Add(new CaseFiles(NiftiFileNames.CaseName(image), [image], null));
        }
        if (index.Root["numTraining"] is { } declared && index.RequireInt(declared, "numTraining") != training.Count)
            throw index.Error("numTraining", $"says {index.RequireInt(declared, "numTraining")} but 'training' lists {training.Count} cases");
        return FileDatasetOpening.Open(typed, context, cases, labels, channels, publishedValidation: null);
    }

    /// <summary>Reads a <c>{"0": "name", ...}</c> object.</summary>
    internal static Dictionary<int, string> ReadIntKeyedNames(JsonDatasetIndex index, string field)
    {
        var result = new Dictionary<int, string>();
        foreach (var (key, value) in index.RequireObject(field))
        {
            if (!int.TryParse(key, out var number) || number < 0)
                throw index.Error($"{field}.{key}", "keys must be non-negative integers written as strings, e.g. \"1\"");
            result[number] = index.RequireString(value, $"{field}.{key}");
        }
        if (result.Count == 0) throw index.Error(field, "is empty");
        return result;
    }
}
