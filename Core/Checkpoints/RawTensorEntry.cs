namespace Pipeline.Core.Checkpoints;

/// <summary>
/// One tensor of a <see cref="RawTensorBundle"/>: where its bytes are in the <c>.bin</c> file and how to read them.
/// </summary>
/// <param name="Name">The tensor's name (a state_dict key, or a name such as <c>input</c> or <c>features.0</c>).</param>
/// <param name="Shape">Its shape; empty for a 0-d (scalar) tensor.</param>
/// <param name="DType">Its element type as written in the index: <c>float32</c> or <c>int64</c>.</param>
/// <param name="Offset">Byte offset of its first element in the <c>.bin</c> file.</param>
/// <param name="ByteCount">Number of bytes it occupies there.</param>
public sealed record RawTensorEntry(string Name, long[] Shape, string DType, long Offset, long ByteCount)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, extent) => product * extent);
}
