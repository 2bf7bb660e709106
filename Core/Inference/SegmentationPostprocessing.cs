using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Softmax and argmax over the class axis of whole-volume scores [C, I, J, K], computed slab by slab along the first
/// spatial axis so that the temporaries (softmax's exponentials, argmax's int64 indices) stay the size of a slab instead
/// of the volume. Results equal the whole-tensor operations.
/// </summary>
public static class SegmentationPostprocessing
{
    /// <summary>Slices along the first spatial axis per step unless the caller says otherwise.</summary>
    public const long DefaultSlabSize = 16;

    /// <summary>
    /// The index of the largest score per voxel (ties: the first class, as torch.argmax), as labels of
    /// <paramref name="labelType"/>. Nothing of size C × volume is allocated.
    /// </summary>
    /// <param name="scores">Logits or probabilities [C, I, J, K].</param>
    /// <param name="labelType">An integer type that holds every class index (e.g. <see cref="ScalarType.Byte"/> for up to
    /// 256 classes, <see cref="ScalarType.Int64"/>).</param>
    /// <param name="slabSize">Slices along I per step (≥ 1).</param>
    /// <returns>[I, J, K] labels on <paramref name="scores"/>' device, in the caller's dispose scope.</returns>
    public static Tensor Argmax(Tensor scores, ScalarType labelType = ScalarType.Byte, long slabSize = DefaultSlabSize)
    {
        RequireScores(scores, slabSize);
        RequireLabelType(labelType, scores.shape[0]);
        var labels = empty(scores.shape[1..], labelType, scores.device);
        foreach (var slab in Slabs(scores.shape[1], slabSize))
        {
            using var scope = NewDisposeScope();
            labels[slab].copy_(scores[TensorIndex.Colon, slab].argmax(0));
        }
        return labels;
    }

    /// <summary>Softmax over the classes into a new tensor of <paramref name="outputType"/>, computed in the scores' precision.</summary>
    /// <param name="logits">[C, I, J, K].</param>
    /// <param name="outputType"><see cref="ScalarType.Float32"/>, <see cref="ScalarType.Float16"/>, bfloat16 or float64.</param>
    /// <param name="slabSize">Slices along I per step (≥ 1).</param>
    /// <returns>[C, I, J, K] probabilities, in the caller's dispose scope.</returns>
    public static Tensor Softmax(Tensor logits, ScalarType outputType = ScalarType.Float32, long slabSize = DefaultSlabSize)
    {
        RequireScores(logits, slabSize);
        if (outputType is not (ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Probabilities need a floating type, got {outputType}.", nameof(outputType));
        var probabilities = empty(logits.shape, outputType, logits.device);
        foreach (var slab in Slabs(logits.shape[1], slabSize))
        {
            using var scope = NewDisposeScope();
            probabilities[TensorIndex.Colon, slab].copy_(logits[TensorIndex.Colon, slab].softmax(0));
        }
        return probabilities;
    }

    /// <summary>Replaces <paramref name="logits"/> by their softmax over the classes, slab by slab; returns <paramref name="logits"/>.</summary>
    /// <param name="logits">[C, I, J, K] floating-point scores, overwritten.</param>
    /// <param name="slabSize">Slices along I per step (≥ 1).</param>
    public static Tensor SoftmaxInPlace(Tensor logits, long slabSize = DefaultSlabSize)
    {
        RequireScores(logits, slabSize);
        if (!logits.is_floating_point())
            throw new ArgumentException($"Softmax needs floating-point logits, got {logits.dtype}.", nameof(logits));
        foreach (var slab in Slabs(logits.shape[1], slabSize))
        {
            using var scope = NewDisposeScope();
            var view = logits[TensorIndex.Colon, slab];
            view.copy_(view.softmax(0));
        }
        return logits;
    }

    /// <summary>Throws unless <paramref name="labelType"/> is an integer type that holds the indices 0 … classes − 1.</summary>
    public static void RequireLabelType(ScalarType labelType, long classes)
    {
        long largest = labelType switch
        {
            ScalarType.Byte => byte.MaxValue,
            ScalarType.Int8 => sbyte.MaxValue,
            ScalarType.Int16 => short.MaxValue,
            ScalarType.Int32 => int.MaxValue,
            ScalarType.Int64 => long.MaxValue,
            _ => throw new ArgumentException($"Labels need an integer type (uint8, int16, int32 or int64), got {labelType}.", nameof(labelType)),
        };
        if (classes - 1 > largest)
            throw new ArgumentException($"{classes} classes do not fit labels of type {labelType} (largest {largest}); use a wider type.", nameof(labelType));
    }

    private static void RequireScores(Tensor scores, long slabSize)
    {
        if (scores.dim() != 4)
            throw new ArgumentException($"Expected class scores [C, I, J, K], got [{string.Join(", ", scores.shape)}].", nameof(scores));
        if (slabSize < 1)
            throw new ArgumentOutOfRangeException(nameof(slabSize), slabSize, "The slab size must be at least 1.");
    }

    private static IEnumerable<TensorIndex> Slabs(long length, long slabSize)
    {
        for (long start = 0; start < length; start += slabSize)
            yield return TensorIndex.Slice(start, Math.Min(start + slabSize, length));
    }
}
