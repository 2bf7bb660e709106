using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Data;

namespace Pipeline.Plugins.Datasets.Files;

/// <summary>
/// A dataset's JSON index file (<c>dataset.json</c>, a datalist) with accessors whose errors name the dataset, the
/// file and the field (e.g. <c>dataset.json: training[3].label: expected a string path</c>).
/// </summary>
public sealed class JsonDatasetIndex
{
    private readonly string _dataset;

    private JsonDatasetIndex(string dataset, string path, JsonObject root)
    {
        _dataset = dataset;
        Path = path;
        Root = root;
    }

    /// <summary>The file's absolute path.</summary>
    public string Path { get; }

    /// <summary>The top-level object.</summary>
    public JsonObject Root { get; }

    /// <summary>Reads <paramref name="path"/>, which must hold a JSON object.</summary>
    /// <exception cref="InvalidDatasetException">Missing file or invalid JSON; the message names the file.</exception>
    public static JsonDatasetIndex Load(string dataset, string path)
    {
        if (!File.Exists(path)) throw new InvalidDatasetException(dataset, $"'{path}' not found; the layout needs it");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDatasetException(dataset, $"{path}: not valid JSON (line {e.LineNumber + 1}: {e.Message})");
        }
        return node is JsonObject obj ? new JsonDatasetIndex(dataset, path, obj) : throw new InvalidDatasetException(dataset, $"{path}: expected a JSON object at the top level");
    }

    /// <summary>An error about <paramref name="field"/> of this file.</summary>
    public InvalidDatasetException Error(string field, string message) => new(_dataset, $"{Path}: {field}: {message}");

    /// <summary>The object at <paramref name="field"/>, or an error when missing or not an object.</summary>
    public JsonObject RequireObject(string field) =>
        Root[field] as JsonObject ?? throw Error(field, Root.ContainsKey(field) ? "expected an object" : "missing (required)");

    /// <summary>The list at <paramref name="field"/>, null when absent, an error when not a list.</summary>
    public JsonArray? OptionalArray(string field) =>
        !Root.ContainsKey(field) || Root[field] is null ? null : Root[field] as JsonArray ?? throw Error(field, "expected a list");

    /// <summary>A string value, or an error naming <paramref name="field"/>.</summary>
    public string RequireString(JsonNode? node, string field) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Error(field, node is null ? "missing (required)" : "expected a string");

    /// <summary>An integer value (JSON number or numeric string), or an error naming <paramref name="field"/>.</summary>
    public int RequireInt(JsonNode? node, string field)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<int>(out var number)) return number;
            if (value.TryGetValue<string>(out var text) && int.TryParse(text, out number)) return number;
        }
        throw Error(field, node is null ? "missing (required)" : $"expected an integer, got {node.ToJsonString()}");
    }

    /// <summary>A path from the index resolved against <paramref name="root"/> (MSD writes them as <c>./imagesTr/x.nii.gz</c>).</summary>
    public static string ResolvePath(string root, string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
}
