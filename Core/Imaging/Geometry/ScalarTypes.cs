using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Geometry;

/// <summary>Questions about tensor element types asked by the geometry and transform code.</summary>
internal static class ScalarTypes
{
    /// <summary>True for the real floating-point types (float16, bfloat16, float32, float64).</summary>
    public static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;
}
