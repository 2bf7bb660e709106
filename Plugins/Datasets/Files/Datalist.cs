using System.Text.Json.Nodes;
using Pipeline.Core.Data;

namespace Pipeline.Plugins.Datasets.Files;

/// <summary>
/// A MONAI-style datalist JSON (<c>{"training": [{"image": ..., "label": ...}], "validation": [...], "test": [...]}</c>,
/// the form of the released 3D UX-Net / RepUX-Net <c>dataset_*.json</c> files and of MSD/AMOS <c>dataset.json</c>).
/// Paths are relative to the dataset root. An <c>image</c> may be one path or a list of channel paths.
/// </summary>
public static class Datalist
{
    /// <summary>The cases of a datalist and the ids its <c>validation</c> list names (null when it has none).</summary>
    public static (List<CaseFiles> Cases, List<string>? Validation) Read(JsonDatasetIndex index, string root, Func<string, string>? caseIdOf = null)
    {
        caseIdOf ??= NiftiFileNames.CaseName;
        var cases = new List<CaseFiles>();
        foreach (var section in new[] { "training", "validation" })
        {
            var list = index.OptionalArray(section);
            if (list is null) continue;
            for (int n = 0; n < list.Count; n++)
            {
                if (list[n] is not JsonObject entry) throw index.Error($"{section}[{n}]", "expected an object with 'image' and 'label'");
                var images = ImagePaths(index, root, entry["image"], $"{section}[{n}].image");
                string? label = entry["label"] is null ? null : JsonDatasetIndex.ResolvePath(root, index.RequireString(entry["label"], $"{section}[{n}].label"));
                cases.Add(new CaseFiles(caseIdOf(images[0]), images, label));
            }
        }
        var validationList = index.OptionalArray("validation");
        List<string>? validation = validationList is null ? null : cases.Skip(cases.Count - validationList.Count).Select(c => c.Id).ToList();
        var test = index.OptionalArray("test") ?? [];
        for (int n = 0; n < test.Count; n++)
        {
            var node = test[n] is JsonObject obj ? obj["image"] : test[n];
            var images = ImagePaths(index, root, node, $"test[{n}]");
            cases.Add(new CaseFiles(caseIdOf(images[0]), images, null));
        }
        if (cases.Count == 0) throw index.Error("training", "the datalist lists no case");
        return (cases, validation);
    }

    private static IReadOnlyList<string> ImagePaths(JsonDatasetIndex index, string root, JsonNode? node, string field) =>
        node is JsonArray channels
            ? channels.Select((c, n) => JsonDatasetIndex.ResolvePath(root, index.RequireString(c, $"{field}[{n}]"))).ToList()
            : [JsonDatasetIndex.ResolvePath(root, index.RequireString(node, field))];
}
