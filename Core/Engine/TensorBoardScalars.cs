using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;

namespace Pipeline.Core.Engine;

/// <summary>
/// Mirrors metrics records as TensorBoard scalars (TorchSharp's <see cref="SummaryWriter"/>, event files in one
/// folder). A record with a <c>stage</c> and an integer <c>iteration</c> becomes one scalar per numeric field, tagged
/// <c>stage/field</c> (nested objects: <c>stage/field/key</c>, e.g. <c>train/validation_dice/tube</c>), at step
/// <c>iteration</c>; other records and fields are skipped. The event files are a view of <c>metrics.jsonl</c>:
/// <see cref="Rebuild"/> rewrites them from the kept records after a resume removed some.
/// </summary>
public sealed class TensorBoardScalars
{
    /// <summary>Fields that are bookkeeping, not curves.</summary>
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "stage", "iteration", "time", "seconds" };

    private SummaryWriter _writer;

    /// <param name="directory">The folder the event files go to (created).</param>
    public TensorBoardScalars(string directory)
    {
        Directory = directory;
        _writer = torch.utils.tensorboard.SummaryWriter(directory);
    }

    /// <summary>The folder of the event files (point <c>tensorboard --logdir</c> here).</summary>
    public string Directory { get; }

    /// <summary>Adds the scalars of <paramref name="record"/> (a JSON object as written to metrics.jsonl).</summary>
    public void Add(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object) return;
        if (!record.TryGetProperty("stage", out var stageElement) || stageElement.ValueKind != JsonValueKind.String) return;
        if (!record.TryGetProperty("iteration", out var iterationElement) || iterationElement.ValueKind != JsonValueKind.Number ||
            !iterationElement.TryGetInt32(out int step)) return;
        string stage = stageElement.GetString()!;
        long wallTime = WallTime(record);
        foreach (var field in record.EnumerateObject())
        {
            if (Skipped.Contains(field.Name)) continue;
            if (field.Value.ValueKind == JsonValueKind.Number)
                _writer.add_scalar($"{stage}/{field.Name}", (float)field.Value.GetDouble(), step, wallTime);
            else if (field.Value.ValueKind == JsonValueKind.Object)
                foreach (var inner in field.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
                    _writer.add_scalar($"{stage}/{field.Name}/{inner.Name}", (float)inner.Value.GetDouble(), step, wallTime);
        }
    }

    /// <summary>Deletes the folder's event files and writes <paramref name="records"/> into a fresh one.</summary>
    public void Rebuild(IEnumerable<JsonElement> records)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "events.out.tfevents.*", SearchOption.AllDirectories))
            File.Delete(file);
        _writer = torch.utils.tensorboard.SummaryWriter(Directory);
        foreach (var record in records)
            Add(record);
    }

    /// <summary>The record's <c>time</c> as whole seconds since the Unix epoch (now when it has none).</summary>
    private static long WallTime(JsonElement record)
    {
        var time = record.TryGetProperty("time", out var element) && element.ValueKind == JsonValueKind.String &&
                   DateTimeOffset.TryParse(element.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                                           System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.UtcNow;
        return time.ToUnixTimeSeconds();
    }
}
