using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

/// <summary>Bitwise tensor comparison (shape, type and every element).</summary>
internal static class Exactly
{
    public static bool Equal(Tensor expected, Tensor actual) =>
        expected.shape.SequenceEqual(actual.shape) && expected.dtype == actual.dtype && expected.equal(actual).all().item<bool>();
}
