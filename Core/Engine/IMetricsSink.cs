namespace Pipeline.Core.Engine;

/// <summary>Appends one JSON object per record to the run's <c>metrics.jsonl</c>.</summary>
public interface IMetricsSink
{
    /// <summary>Writes <paramref name="record"/> (an object serializable by System.Text.Json) as one line.</summary>
    void Write(IReadOnlyDictionary<string, object?> record);
}
