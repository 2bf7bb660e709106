using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// A raw tensor bundle: an index <c>X.json</c> mapping each tensor name to
/// <c>{"shape": [...], "dtype": "float32"|"int64", "offset": o, "nbytes": n}</c>, and the bytes in <c>X.bin</c>
/// next to it (little-endian, C-contiguous, PyTorch layout). Entries with identical bytes may share an offset, so
/// every tensor is read at its own offset, never sequentially. The index order is kept (it is the state_dict order).
/// </summary>
public sealed class RawTensorBundle
{
    private readonly Dictionary<string, RawTensorEntry> _byName;

    private RawTensorBundle(string indexPath, string dataPath, IReadOnlyList<RawTensorEntry> entries)
    {
        IndexPath = indexPath;
        DataPath = dataPath;
        Entries = entries;
        _byName = entries.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
    }

    /// <summary>Path of the <c>.json</c> index.</summary>
    public string IndexPath { get; }

    /// <summary>Path of the <c>.bin</c> data file.</summary>
    public string DataPath { get; }

    /// <summary>The entries in index order.</summary>
    public IReadOnlyList<RawTensorEntry> Entries { get; }

    /// <summary>The names in index order.</summary>
    public IEnumerable<string> Names => Entries.Select(entry => entry.Name);

    /// <summary>Whether the bundle holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// Opens the bundle whose index is <paramref name="indexPath"/> (<c>X.json</c>); the data file is the same path
    /// with the extension <c>.bin</c>. Parses and checks the whole index (dtype, shape, sizes, bounds) up front.
    /// </summary>
    /// <exception cref="FileNotFoundException">The index or the data file does not exist.</exception>
    /// <exception cref="InvalidDataException">The index is malformed; the message names the file and the entry.</exception>
    public static RawTensorBundle Open(string indexPath)
    {
        indexPath = Path.GetFullPath(indexPath);
        if (!File.Exists(indexPath))
            throw new FileNotFoundException($"Raw tensor bundle index '{indexPath}' does not exist.", indexPath);
        string dataPath = Path.ChangeExtension(indexPath, ".bin");
        if (!File.Exists(dataPath))
            throw new FileNotFoundException(
                $"Raw tensor bundle data file '{dataPath}' (named after the index '{indexPath}') does not exist.", dataPath);
        long dataLength = new FileInfo(dataPath).Length;

        using var document = ParseIndex(indexPath);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"'{indexPath}': expected a JSON object mapping tensor names to entries.");

        var entries = new List<RawTensorEntry>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var entry = ParseEntry(indexPath, property);
            long expectedBytes = entry.ElementCount * ElementSize(indexPath, entry);
            if (entry.ByteCount != expectedBytes)
                throw new InvalidDataException(
                    $"'{indexPath}', entry '{entry.Name}': nbytes is {entry.ByteCount}, but shape [{string.Join(", ", entry.Shape)}] " +
                    $"of {entry.DType} needs {expectedBytes}.");
            if (entry.Offset < 0 || entry.Offset + entry.ByteCount > dataLength)
                throw new InvalidDataException(
                    $"'{indexPath}', entry '{entry.Name}': bytes [{entry.Offset}, {entry.Offset + entry.ByteCount}) lie outside " +
                    $"'{dataPath}' ({dataLength} bytes).");
            entries.Add(entry);
        }
        return new RawTensorBundle(indexPath, dataPath, entries);
    }

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such entry; the message names the bundle.</exception>
    public RawTensorEntry Entry(string name) =>
        _byName.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"'{IndexPath}' has no tensor named '{name}'.");

    /// <summary>Reads the tensor called <paramref name="name"/> into a new CPU tensor of its dtype and shape.</summary>
    public Tensor Read(string name)
    {
        using var handle = File.OpenHandle(DataPath, FileMode.Open, FileAccess.Read);
        return Read(handle, Entry(name));
    }

    /// <summary>Reads every tensor, in index order (keys keep that order when enumerated).</summary>
    public Dictionary<string, Tensor> ReadAll()
    {
        using var handle = File.OpenHandle(DataPath, FileMode.Open, FileAccess.Read);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in Entries)
            tensors.Add(entry.Name, Read(handle, entry));
        return tensors;
    }

    private Tensor Read(SafeFileHandle handle, RawTensorEntry entry)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Raw tensor bundles are little-endian; this machine is not.");
        var bytes = new byte[entry.ByteCount];
        long done = 0;
        while (done < bytes.Length)
        {
            int read = RandomAccess.Read(handle, bytes.AsSpan((int)done), entry.Offset + done);
            if (read == 0)
                throw new InvalidDataException($"'{DataPath}' ended while reading '{entry.Name}' at byte {entry.Offset + done}.");
            done += read;
        }
        return entry.DType switch
        {
            "float32" => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), entry.Shape),
            "int64" => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), entry.Shape),
            _ => throw new InvalidDataException($"'{IndexPath}', entry '{entry.Name}': unsupported dtype '{entry.DType}'."),
        };
    }

    private static JsonDocument ParseIndex(string indexPath)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{indexPath}' is not valid JSON: {error.Message}", error);
        }
    }

    private static RawTensorEntry ParseEntry(string indexPath, JsonProperty property)
    {
        string where = $"'{indexPath}', entry '{property.Name}'";
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: expected an object with shape, dtype, offset and nbytes.");
        JsonElement Field(string key) =>
            value.TryGetProperty(key, out var field) ? field : throw new InvalidDataException($"{where}: missing '{key}'.");

        var shapeElement = Field("shape");
        if (shapeElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: 'shape' must be an array of non-negative integers.");
        var shape = shapeElement.EnumerateArray().Select(extent =>
            extent.ValueKind == JsonValueKind.Number && extent.TryGetInt64(out long n) && n >= 0
                ? n
                : throw new InvalidDataException($"{where}: 'shape' must be an array of non-negative integers.")).ToArray();
        string dtype = Field("dtype").GetString() ?? "";
        long offset = Field("offset").TryGetInt64(out long o) ? o : throw new InvalidDataException($"{where}: 'offset' must be an integer.");
        long nbytes = Field("nbytes").TryGetInt64(out long b) ? b : throw new InvalidDataException($"{where}: 'nbytes' must be an integer.");
        return new RawTensorEntry(property.Name, shape, dtype, offset, nbytes);
    }

    private static long ElementSize(string indexPath, RawTensorEntry entry) => entry.DType switch
    {
        "float32" => sizeof(float),
        "int64" => sizeof(long),
        _ => throw new InvalidDataException(
            $"'{indexPath}', entry '{entry.Name}': unsupported dtype '{entry.DType}' (expected float32 or int64)."),
    };
}
