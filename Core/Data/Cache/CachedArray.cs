using System.Text.Json.Serialization;

namespace Pipeline.Core.Data.Cache;

/// <summary>One raw array file of a cached case: little-endian values in C order, nothing else in the file.</summary>
/// <param name="File">File name inside the cache folder.</param>
/// <param name="Dtype">Stored type: <c>float32</c>, <c>float16</c>, <c>int16</c>, <c>int32</c> or <c>uint8</c>.</param>
/// <param name="Shape">Array shape (image [C, D, H, W], label [D, H, W]).</param>
/// <param name="Bytes">File size: the element count times the type's size.</param>
public sealed record CachedArray(string File, string Dtype, long[] Shape, long Bytes)
{
    /// <summary>Number of elements.</summary>
    [JsonIgnore]
    public long Elements => Shape.Aggregate(1L, (product, extent) => product * extent);
}
