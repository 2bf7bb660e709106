using System.IO.MemoryMappedFiles;
using Pipeline.Core.IO;
using static TorchSharp.torch;

namespace Pipeline.Core.Data.Cache;

/// <summary>
/// Reads and writes the raw array files of the disk cache. Writing is atomic (<see cref="AtomicFile"/>). Reading
/// maps the file (<see cref="MemoryMappedFile"/>) and copies the mapped bytes once into a new tensor of the stored
/// type: TorchSharp 0.107 has no public way to wrap foreign memory in a tensor, so zero-copy is not possible, and
/// the training tensors need float32 / int64 anyway (a second pass converts the compact types).
/// </summary>
public static class CachedArrayFile
{
    /// <summary>Bytes copied per step, so no span exceeds <see cref="int.MaxValue"/>.</summary>
    private const long ChunkBytes = 64L << 20;

    /// <summary>The stored-type names used in the metadata, with their torch types.</summary>
    private static readonly (string Name, ScalarType Type)[] Types =
    [
        ("float32", ScalarType.Float32), ("float16", ScalarType.Float16), ("int16", ScalarType.Int16),
        ("int32", ScalarType.Int32), ("uint8", ScalarType.Byte),
    ];

    /// <summary>The metadata name of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">The cache does not store this type.</exception>
    public static string NameOf(ScalarType type) =>
        Types.FirstOrDefault(t => t.Type == type).Name ?? throw new ArgumentException($"The case cache does not store {type}.", nameof(type));

    /// <summary>The torch type of the metadata name <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">Unknown name.</exception>
    public static ScalarType TypeOf(string name)
    {
        foreach (var (known, type) in Types)
            if (known == name) return type;
        throw new InvalidDataException($"unknown cached dtype '{name}'; expected one of {string.Join(", ", Types.Select(t => t.Name))}");
    }

    /// <summary>Writes <paramref name="values"/> (any shape, CPU) to <paramref name="path"/> as raw little-endian bytes in C order.</summary>
    /// <returns>The array's description (file name, dtype, shape, bytes).</returns>
    public static CachedArray Write(string path, Tensor values)
    {
        using var scope = NewDisposeScope();
        var flat = values.detach().cpu().contiguous().flatten();
        long elementSize = flat.ElementSize;
        long perChunk = Math.Max(1, ChunkBytes / elementSize);
        long count = flat.numel();
        AtomicFile.Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            for (long start = 0; start < count; start += perChunk)
                stream.Write(flat.narrow(0, start, Math.Min(perChunk, count - start)).bytes);
            stream.Flush(flushToDisk: true);
        });
        return new CachedArray(Path.GetFileName(path), NameOf(values.dtype), values.shape, count * elementSize);
    }

    /// <summary>
    /// Reads <paramref name="array"/> from <paramref name="folder"/> through a read-only memory mapping into a new
    /// tensor of its stored type and shape (in the caller's dispose scope).
    /// </summary>
    /// <exception cref="InvalidDataException">The file's size is not the one the metadata records.</exception>
    public static Tensor Read(string folder, CachedArray array)
    {
        string path = Path.Combine(folder, array.File);
        var type = TypeOf(array.Dtype);
        long count = array.Elements;
        var result = empty(array.Shape, dtype: type);
        if (count == 0) return result;
        // Delete is shared so a concurrent writer's rename over this file does not fail; the mapping keeps the old bytes.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        if (stream.Length != array.Bytes)
            throw new InvalidDataException($"{path}: {stream.Length} bytes, but its metadata records {array.Bytes} ({array.Dtype} [{string.Join(", ", array.Shape)}])");
        using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        using var view = map.CreateViewStream(0, array.Bytes, MemoryMappedFileAccess.Read);
        using var flat = result.view(count);
        long perChunk = Math.Max(1, ChunkBytes / flat.ElementSize);
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            view.ReadExactly(part.bytes);
        }
        return result;
    }
}
