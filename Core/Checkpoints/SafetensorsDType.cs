using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>The safetensors names of element types (<c>F32</c>, <c>BF16</c>, ...) and their TorchSharp equivalents.</summary>
public static class SafetensorsDType
{
    private static readonly (string Name, ScalarType Type, int Size)[] Table =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>The names this reader and writer understand.</summary>
    public static IEnumerable<string> Names => Table.Select(entry => entry.Name);

    /// <summary>The TorchSharp type and element size of the safetensors type <paramref name="name"/>, or false.</summary>
    public static bool TryParse(string name, out ScalarType type, out int elementSize)
    {
        foreach (var entry in Table)
        {
            if (entry.Name != name) continue;
            (type, elementSize) = (entry.Type, entry.Size);
            return true;
        }
        (type, elementSize) = (default, 0);
        return false;
    }

    /// <summary>The safetensors name of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">safetensors has no name for it here (e.g. complex types).</exception>
    public static string NameOf(ScalarType type) =>
        Table.FirstOrDefault(entry => entry.Type == type).Name
        ?? throw new NotSupportedException($"Tensors of type {type} cannot be written as safetensors (supported: {string.Join(", ", Names)}).");
}
