using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// Soft Dice plus cross-entropy on logits, with the semantics of MONAI's
/// <c>DiceCELoss(softmax=True, to_onehot_y=True)</c> as used by the 3D UX-Net / RepUX-Net recipe:
/// <list type="bullet">
/// <item>Dice: softmax over classes, one-hot targets, then for every sample and class
/// 1 − (2·Σ p·g + smooth_nr) / (Σ p + Σ g + smooth_dr) (with <c>squared_pred</c>: Σ p² + Σ g² in the denominator),
/// sums over the spatial axes (and over the batch too when <c>batch</c> is true), then the mean over all remaining
/// entries. <c>include_background = false</c> drops channel 0 after the softmax.</item>
/// <item>Cross-entropy: mean cross-entropy of the logits against the class indices, always over all classes
/// (<c>include_background</c> only affects the Dice part, as in MONAI).</item>
/// <item>Total: λ_dice · Dice + λ_ce · CE.</item>
/// </list>
/// </summary>
public sealed class DiceCeLoss
{
    /// <param name="includeBackground">Whether class 0 takes part in the Dice term (MONAI default true).</param>
    /// <param name="batch">Sum intersection and sizes over the batch before the ratio (MONAI default false).</param>
    /// <param name="lambdaDice">Weight of the Dice term (≥ 0).</param>
    /// <param name="lambdaCe">Weight of the cross-entropy term (≥ 0).</param>
    /// <param name="smoothNumerator">Added to the Dice numerator (MONAI smooth_nr, 1e-5).</param>
    /// <param name="smoothDenominator">Added to the Dice denominator (MONAI smooth_dr, 1e-5).</param>
    /// <param name="squaredPrediction">Square p and g in the denominator (MONAI squared_pred, default false).</param>
    public DiceCeLoss(bool includeBackground = true, bool batch = false, double lambdaDice = 1.0, double lambdaCe = 1.0,
                      double smoothNumerator = 1e-5, double smoothDenominator = 1e-5, bool squaredPrediction = false)
    {
        if (!(lambdaDice >= 0)) throw new ArgumentOutOfRangeException(nameof(lambdaDice), lambdaDice, "lambda_dice must be ≥ 0.");
        if (!(lambdaCe >= 0)) throw new ArgumentOutOfRangeException(nameof(lambdaCe), lambdaCe, "lambda_ce must be ≥ 0.");
        if (smoothNumerator < 0 || smoothDenominator < 0)
            throw new ArgumentOutOfRangeException(nameof(smoothDenominator), "smooth_nr and smooth_dr must be ≥ 0.");
        IncludeBackground = includeBackground;
        Batch = batch;
        LambdaDice = lambdaDice;
        LambdaCe = lambdaCe;
        SmoothNumerator = smoothNumerator;
        SmoothDenominator = smoothDenominator;
        SquaredPrediction = squaredPrediction;
    }

    /// <summary>Whether class 0 takes part in the Dice term.</summary>
    public bool IncludeBackground { get; }

    /// <summary>Whether the Dice sums run over the batch as well.</summary>
    public bool Batch { get; }

    /// <summary>Weight of the Dice term.</summary>
    public double LambdaDice { get; }

    /// <summary>Weight of the cross-entropy term.</summary>
    public double LambdaCe { get; }

    /// <summary>Dice numerator smoothing.</summary>
    public double SmoothNumerator { get; }

    /// <summary>Dice denominator smoothing.</summary>
    public double SmoothDenominator { get; }

    /// <summary>Whether the denominator sums squares (Σ p² + Σ g²) instead of plain sums.</summary>
    public bool SquaredPrediction { get; }

    /// <summary>Evaluates the loss.</summary>
    /// <param name="logits">Float [N, C, *spatial] network output (before softmax).</param>
    /// <param name="target">Integer class indices, [N, *spatial] or [N, 1, *spatial], values in [0, C).</param>
    public DiceCeLossTerms Compute(Tensor logits, Tensor target)
    {
        if (logits.dim() < 3)
            throw new ArgumentException($"DiceCeLoss: logits must be [N, C, *spatial], got shape [{string.Join(", ", logits.shape)}].");
        var classIndices = ClassIndices(logits, target);
        long classes = logits.shape[1];

        var probabilities = logits.softmax(1);
        var oneHot = nn.functional.one_hot(classIndices, classes)
            .permute(OneHotToChannelsFirst(logits.dim()))
            .to_type(probabilities.dtype);
        if (!IncludeBackground && classes > 1)
        {
            // As in MONAI, the softmax sees every class; only the Dice terms of class 0 are dropped.
            probabilities = probabilities[.., 1..];
            oneHot = oneHot[.., 1..];
        }

        long[] reduceAxes = Enumerable.Range(Batch ? 0 : 2, (int)logits.dim() - (Batch ? 0 : 2))
            .Where(axis => axis != 1).Select(axis => (long)axis).ToArray();
        var intersection = (probabilities * oneHot).sum(reduceAxes);
        var sizes = SquaredPrediction
            ? probabilities.square().sum(reduceAxes) + oneHot.square().sum(reduceAxes)
            : probabilities.sum(reduceAxes) + oneHot.sum(reduceAxes);
        var dice = (1.0 - (2.0 * intersection + SmoothNumerator) / (sizes + SmoothDenominator)).mean();

        var crossEntropy = nn.functional.cross_entropy(logits, classIndices);
        var total = LambdaDice * dice + LambdaCe * crossEntropy;
        return new DiceCeLossTerms(total, dice, crossEntropy);
    }

    /// <summary>The target as int64 [N, *spatial], after checking its shape and value range.</summary>
    private static Tensor ClassIndices(Tensor logits, Tensor target)
    {
        var expected = logits.shape.Take(1).Concat(logits.shape.Skip(2)).ToArray();
        var indices = target.dim() == logits.dim() && target.shape[1] == 1 ? target.squeeze(1) : target;
        if (!indices.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"DiceCeLoss: target shape [{string.Join(", ", target.shape)}] does not match logits [{string.Join(", ", logits.shape)}]; " +
                $"expected [{string.Join(", ", expected)}] or with a singleton channel axis.");
        if (indices.dtype != ScalarType.Int64)
            indices = indices.to_type(ScalarType.Int64);
        long min = indices.min().item<long>(), max = indices.max().item<long>();
        if (min < 0 || max >= logits.shape[1])
            throw new ArgumentException(
                $"DiceCeLoss: target values must be class indices in [0, {logits.shape[1] - 1}], found values in [{min}, {max}].");
        return indices;
    }

    /// <summary>Permutation that moves one_hot's trailing class axis to position 1.</summary>
    private static long[] OneHotToChannelsFirst(long dims) =>
        [0, dims - 1, .. Enumerable.Range(1, (int)dims - 2).Select(axis => (long)axis)];
}
