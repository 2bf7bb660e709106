using System.Text.Json;

namespace Pipeline.Core.Engine;

/// <summary>Appends one JSON object per record to the run's <c>metrics.jsonl</c>.</summary>
public interface IMetricsSink
{
    /// <summary>Writes <paramref name="record"/> (an object serializable by System.Text.Json) as one line.</summary>
    void Write(IReadOnlyDictionary<string, object?> record);

    /// <summary>
    /// Removes every record (a JSON object as written) for which <paramref name="shouldRemove"/> is true. A resumed
    /// run uses it to drop the records of work it is about to redo, so the curves have no duplicates;
    /// <see cref="MetricsRecord"/> reads the usual fields.
    /// </summary>
    void RemoveRecords(Func<JsonElement, bool> shouldRemove);
}
