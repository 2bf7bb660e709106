using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>Bitwise comparison of tensors: same dtype, same element count, identical bytes.</summary>
public static class BitwiseTensor
{
    /// <summary>True when <paramref name="actual"/> holds exactly the bytes of <paramref name="expected"/> (shape may differ only by 0-d vs [1]).</summary>
    public static bool Equal(Tensor actual, Tensor expected)
    {
        if (actual.dtype != expected.dtype || actual.numel() != expected.numel()) return false;
        using var a = actual.detach().cpu().contiguous();
        using var b = expected.detach().cpu().contiguous();
        return a.bytes.SequenceEqual(b.bytes);
    }
}
