using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an unsigned 64-bit little-endian header length, a JSON header mapping
/// each tensor name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets relative to the byte buffer
/// that follows the header; an optional <c>"__metadata__"</c> map of strings), then the raw little-endian,
/// C-contiguous bytes. Implemented here rather than through PyBridge so that every malformed header is reported with
/// the file and the entry, and so that tensors come back in the header's order.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>The header key of the optional string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The longest header accepted (the reference implementation's limit, 100 MB).</summary>
    private const long MaxHeaderLength = 100_000_000;

    /// <summary>True when <paramref name="path"/> starts like a safetensors file (a plausible length, then '{').</summary>
    public static bool LooksLikeSafetensors(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[9];
        if (stream.ReadAtLeast(start, 9, throwOnEndOfStream: false) < 9) return false;
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(start);
        return length >= 2 && length <= MaxHeaderLength && (long)length + 8 <= stream.Length && start[8] == (byte)'{';
    }

    /// <summary>Reads every tensor of the safetensors file at <paramref name="path"/>, in header order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header or the data are malformed; the message names the file and the entry.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data are little-endian; this machine is not.");

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
            throw new InvalidDataException($"'{path}' is not a safetensors file: shorter than the 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderLength || (long)headerLength > bytes.Length - 8)
            throw new InvalidDataException(
                $"'{path}' is not a safetensors file: header length {headerLength} does not fit the file ({bytes.Length} bytes).");
        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{path}' is not a safetensors file: the header is not valid JSON ({error.Message}).", error);
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"'{path}': the safetensors header must be a JSON object.");
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey) continue;
                var (type, shape, begin, end) = ParseEntry(path, property, dataLength);
                var data = bytes.AsSpan((int)(dataStart + begin), (int)(end - begin));
                tensors.Add(property.Name, FromBytes(data, type, shape));
            }
            return tensors;
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (in enumeration order) to <paramref name="path"/> atomically. Tensors are
    /// copied to the CPU and made contiguous; their dtype is kept.
    /// </summary>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="path">The target file.</param>
    /// <param name="metadata">Optional string metadata stored under <see cref="MetadataKey"/>.</param>
    public static void Write(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header[MetadataKey] = new JsonObject(metadata.Select(item => KeyValuePair.Create(item.Key, (JsonNode?)JsonValue.Create(item.Value))));
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            if (name == MetadataKey)
                throw new ArgumentException($"A tensor may not be called '{MetadataKey}' in a safetensors file.", nameof(tensors));
            byte[] data = ToBytes(value);
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDType.NameOf(value.dtype),
                ["shape"] = new JsonArray(value.shape.Select(extent => (JsonNode?)JsonValue.Create(extent)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + data.Length)),
            };
            blobs.Add(data);
            offset += data.Length;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        // The header is padded with spaces so that the data start 8-byte aligned, as the reference writer does.
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
            stream.Flush(flushToDisk: true);
        });
    }

    private static (ScalarType Type, long[] Shape, long Begin, long End) ParseEntry(string path, JsonProperty property, long dataLength)
    {
        string where = $"'{path}', tensor '{property.Name}'";
        var entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: expected an object with dtype, shape and data_offsets.");
        JsonElement Field(string key) =>
            entry.TryGetProperty(key, out var field) ? field : throw new InvalidDataException($"{where}: missing '{key}'.");

        string dtype = Field("dtype").ValueKind == JsonValueKind.String ? Field("dtype").GetString()! : "";
        if (!SafetensorsDType.TryParse(dtype, out var type, out int elementSize))
            throw new InvalidDataException($"{where}: unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Names)}).");
        var shapeElement = Field("shape");
        if (shapeElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: 'shape' must be an array of non-negative integers.");
        long[] shape = shapeElement.EnumerateArray().Select(extent =>
            extent.ValueKind == JsonValueKind.Number && extent.TryGetInt64(out long n) && n >= 0
                ? n
                : throw new InvalidDataException($"{where}: 'shape' must be an array of non-negative integers.")).ToArray();
        var offsets = Field("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw new InvalidDataException($"{where}: 'data_offsets' must be [begin, end].");
        if (begin < 0 || end < begin || end > dataLength)
            throw new InvalidDataException($"{where}: data_offsets [{begin}, {end}] lie outside the {dataLength} data bytes.");
        long expected = shape.Aggregate(1L, (product, extent) => product * extent) * elementSize;
        if (end - begin != expected)
            throw new InvalidDataException(
                $"{where}: data_offsets cover {end - begin} bytes, but shape [{string.Join(", ", shape)}] of {dtype} needs {expected}.");
        return (type, shape, begin, end);
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> data, ScalarType type, long[] shape)
    {
        var result = empty(shape, dtype: type);
        data.CopyTo(result.bytes);
        return result;
    }

    private static byte[] ToBytes(Tensor value)
    {
        using var scope = NewDisposeScope();
        var contiguous = value.detach().cpu().contiguous();
        return contiguous.bytes.ToArray();
    }
}
