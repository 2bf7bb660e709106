using System.Text.Json;

namespace Pipeline.Core.Engine;

/// <summary>Reads the fields every stage's metrics records share, from a record as written to <c>metrics.jsonl</c>.</summary>
public static class MetricsRecord
{
    /// <summary>The record's <c>stage</c>, or null when it has none.</summary>
    public static string? Stage(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("stage", out var stage) && stage.ValueKind == JsonValueKind.String
            ? stage.GetString()
            : null;

    /// <summary>The record's integer <c>iteration</c>, or null when it has none.</summary>
    public static long? Iteration(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("iteration", out var iteration) &&
        iteration.ValueKind == JsonValueKind.Number && iteration.TryGetInt64(out long value)
            ? value
            : null;

    /// <summary>True when the record has the field <paramref name="name"/> (e.g. <c>loss</c> or <c>validation_mean_dice</c>).</summary>
    public static bool Has(JsonElement record, string name) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty(name, out _);
}
