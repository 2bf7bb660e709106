using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.IO;

namespace Pipeline.Core.Data;

/// <summary>
/// Seeded k-fold splits of a dataset's labelled cases, and the <c>splits.json</c> file that records them (the
/// nnU-Net <c>splits_final.json</c> layout: a list with one <c>{"train": [...], "val": [...]}</c> object per fold), so
/// a fold can be rerun, shared or replaced by a hand-made file.
/// </summary>
public static class CrossValidationSplit
{
    /// <summary>
    /// Splits <paramref name="caseIds"/> into <paramref name="folds"/> folds: the ids are sorted (ordinal), shuffled by
    /// a Fisher–Yates pass driven by <paramref name="seed"/>, and dealt round-robin; fold f validates on its share and
    /// trains on the rest. The same ids and seed always give the same folds, whatever order the ids came in.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 folds, or fewer cases than folds.</exception>
    public static IReadOnlyList<(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)> Create(IEnumerable<string> caseIds, int folds, int seed)
    {
        var ids = caseIds.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (folds < 2) throw new ArgumentException($"cross-validation needs at least 2 folds, got {folds}");
        if (ids.Length < folds) throw new ArgumentException($"{folds} folds need at least {folds} labelled cases, the dataset has {ids.Length}");
        var random = new Random(seed); // the seeded System.Random algorithm is fixed across .NET versions
        for (int n = ids.Length - 1; n > 0; n--)
        {
            int k = random.Next(n + 1);
            (ids[n], ids[k]) = (ids[k], ids[n]);
        }
        return Enumerable.Range(0, folds).Select(fold =>
        {
            var validation = ids.Where((_, n) => n % folds == fold).Order(StringComparer.Ordinal).ToList();
            var train = ids.Where((_, n) => n % folds != fold).Order(StringComparer.Ordinal).ToList();
            return ((IReadOnlyList<string>)train, (IReadOnlyList<string>)validation);
        }).ToList();
    }

    /// <summary>Writes the folds to <paramref name="path"/> atomically in the nnU-Net layout.</summary>
    public static void Save(string path, IReadOnlyList<(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)> folds)
    {
        var array = new JsonArray(folds.Select(f => (JsonNode)new JsonObject
        {
            ["train"] = new JsonArray(f.Train.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
            ["val"] = new JsonArray(f.Validation.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
        }).ToArray());
        AtomicFile.WriteAllText(path, array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Reads folds from a <c>splits.json</c> / <c>splits_final.json</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is not a list of objects with <c>train</c> and <c>val</c> string lists; the message names the file and the entry.</exception>
    public static IReadOnlyList<(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)> Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
        if (root is not JsonArray folds || folds.Count == 0)
            throw new InvalidDataException($"{path}: expected a non-empty list of folds like [{{\"train\": [...], \"val\": [...]}}]");
        return folds.Select((fold, n) => (ReadIds(path, fold, n, "train"), ReadIds(path, fold, n, "val"))).ToList();
    }

    private static IReadOnlyList<string> ReadIds(string path, JsonNode? fold, int index, string key)
    {
        if (fold is not JsonObject obj || obj[key] is not JsonArray list)
            throw new InvalidDataException($"{path}: fold {index}: expected an object with a '{key}' list of case ids");
        return list.Select((item, n) => item is JsonValue value && value.TryGetValue<string>(out var id)
            ? id
            : throw new InvalidDataException($"{path}: fold {index}: '{key}'[{n}] is not a string case id")).ToList();
    }
}
