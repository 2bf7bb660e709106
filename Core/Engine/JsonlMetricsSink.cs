using System.Text;
using System.Text.Json;
using Pipeline.Core.IO;

namespace Pipeline.Core.Engine;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c>, flushed per record so a killed run keeps every line it
/// wrote. Each record gets a <c>time</c> field (UTC, ISO 8601) when it has none. Opening an existing file first cuts
/// off a last line a killed process left half-written. Optionally mirrors every record as TensorBoard scalars
/// (<see cref="TensorBoardScalars"/>).
/// </summary>
public sealed class JsonlMetricsSink : IMetricsSink, IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly TensorBoardScalars? _tensorBoard;
    private readonly Lock _gate = new();
    private StreamWriter _writer;

    /// <param name="path">The file to append to (created when missing).</param>
    /// <param name="tensorBoardDirectory">Where TensorBoard event files mirror the records; null for none.</param>
    public JsonlMetricsSink(string path, string? tensorBoardDirectory = null)
    {
        Path = path;
        DropTornLastLine(path);
        _writer = OpenForAppend(path);
        _tensorBoard = tensorBoardDirectory is null ? null : new TensorBoardScalars(tensorBoardDirectory);
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
            if (_tensorBoard is not null)
            {
                using var document = JsonDocument.Parse(json);
                _tensorBoard.Add(document.RootElement);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The file is rewritten atomically; the TensorBoard event files are rebuilt from the kept records.</remarks>
    public void RemoveRecords(Func<JsonElement, bool> shouldRemove)
    {
        lock (_gate)
        {
            _writer.Dispose();
            var kept = new List<string>();
            var keptRecords = new List<JsonDocument>();
            try
            {
                foreach (string line in File.ReadLines(Path))
                {
                    if (line.Length == 0) continue;
                    // A line that is not JSON is kept as it is: only records can be judged.
                    JsonDocument? document = TryParse(line);
                    if (document is not null && shouldRemove(document.RootElement))
                    {
                        document.Dispose();
                        continue;
                    }
                    kept.Add(line);
                    if (document is not null) keptRecords.Add(document);
                }
                AtomicFile.WriteAllText(Path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
                _tensorBoard?.Rebuild(keptRecords.Select(d => d.RootElement));
            }
            finally
            {
                foreach (var document in keptRecords) document.Dispose();
                _writer = OpenForAppend(Path);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private static StreamWriter OpenForAppend(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static JsonDocument? TryParse(string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Truncates <paramref name="path"/> after its last newline: a killed writer may have left half a line.</summary>
    private static void DropTornLastLine(string path)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long length = stream.Length;
        if (length == 0) return;
        long position = length;
        var buffer = new byte[1];
        while (position > 0)
        {
            stream.Position = position - 1;
            stream.ReadExactly(buffer);
            if (buffer[0] == (byte)'\n') break;
            position--;
        }
        if (position != length) stream.SetLength(position);
    }
}
