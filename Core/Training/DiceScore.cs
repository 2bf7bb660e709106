using Pipeline.Core.Metrics;
using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// Per-class Dice of hard (argmax) predictions against reference labels, for the foreground classes 1..C−1, on the
/// tensors' device (one confusion matrix per call); the formula and the empty-class rule are
/// <see cref="DiceCoefficient"/>'s with <see cref="EmptyReferencePolicy.IgnoreWhenBothEmpty"/>.
/// <para>Rule for empty classes: Dice = 2·|P∩G| / (|P| + |G|) per class. When the class is absent from both the
/// reference and the prediction the ratio is undefined and the result is <see cref="double.NaN"/>, which the means
/// below skip (and which JSON output writes as null). A class absent from the reference but predicted scores 0, so
/// false positives on absent classes are penalised; this is stricter than MONAI's <c>DiceMetric(ignore_empty=True)</c>,
/// which gives NaN whenever the reference is empty.</para>
/// </summary>
public static class DiceScore
{
    /// <summary>Dice per foreground class from integer label maps of equal shape.</summary>
    /// <param name="predicted">Predicted class indices (any integer dtype), values in [0, <paramref name="classCount"/>).</param>
    /// <param name="reference">Reference class indices, same shape.</param>
    /// <param name="classCount">Number of classes C including background.</param>
    /// <returns>C−1 values for classes 1..C−1, NaN where both are empty.</returns>
    public static double[] PerClass(Tensor predicted, Tensor reference, int classCount)
    {
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Dice needs at least background and one class.");
        if (!predicted.shape.SequenceEqual(reference.shape))
            throw new ArgumentException(
                $"Dice: prediction [{string.Join(", ", predicted.shape)}] and reference [{string.Join(", ", reference.shape)}] differ in shape.");
        using var scope = NewDisposeScope();
        var p = predicted.flatten().to_type(ScalarType.Int64).cpu();
        var g = reference.flatten().to_type(ScalarType.Int64).cpu();
        CheckRange(p, classCount, "prediction");
        CheckRange(g, classCount, "reference");

        // One pass: the joint histogram of (predicted, reference) pairs is the confusion matrix.
        var confusion = (p * classCount + g).bincount(null, (long)classCount * classCount).data<long>().ToArray();
        var dice = new double[classCount - 1];
        for (int k = 1; k < classCount; k++)
        {
            long both = confusion[k * classCount + k], predictedCount = 0, referenceCount = 0;
            for (int other = 0; other < classCount; other++)
            {
                predictedCount += confusion[k * classCount + other];
                referenceCount += confusion[other * classCount + k];
            }
            dice[k - 1] = DiceCoefficient.FromCounts(both, predictedCount, referenceCount, EmptyReferencePolicy.IgnoreWhenBothEmpty);
        }
        return dice;
    }

    /// <summary>Dice per foreground class of the argmax of <paramref name="logits"/> [N, C, *spatial] against
    /// <paramref name="reference"/> [N, *spatial] (or [*spatial] when N = 1).</summary>
    public static double[] PerClassFromLogits(Tensor logits, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var predicted = logits.argmax(1);
        var target = reference.dim() == predicted.dim() - 1 ? reference.unsqueeze(0) : reference;
        return PerClass(predicted, target, (int)logits.shape[1]);
    }

    /// <summary>The mean of the values that are not NaN; NaN when there are none (<see cref="SummaryStatistics.MeanOf"/>).</summary>
    public static double MeanIgnoringNaN(IEnumerable<double> values) => SummaryStatistics.MeanOf(values);

    private static void CheckRange(Tensor labels, int classCount, string what)
    {
        if (labels.numel() == 0) return;
        long min = labels.min().item<long>(), max = labels.max().item<long>();
        if (min < 0 || max >= classCount)
            throw new ArgumentException($"Dice: {what} values must be in [0, {classCount - 1}], found [{min}, {max}].");
    }
}
