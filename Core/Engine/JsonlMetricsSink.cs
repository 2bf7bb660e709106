using System.Text.Json;

namespace Pipeline.Core.Engine;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c>, flushed per record so a killed run keeps every line it
/// wrote. Each record gets a <c>time</c> field (UTC, ISO 8601) when it has none.
/// </summary>
public sealed class JsonlMetricsSink : IMetricsSink, IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    /// <param name="path">The file to append to (created when missing).</param>
    public JsonlMetricsSink(string path)
    {
        Path = path;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Write(IReadOnlyDictionary<string, object?> record)
    {
        var line = new Dictionary<string, object?>(record);
        line.TryAdd("time", DateTime.UtcNow.ToString("O"));
        string json = JsonSerializer.Serialize(line, JsonOptions);
        lock (_gate)
        {
            _writer.WriteLine(json);
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
