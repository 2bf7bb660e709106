using Pipeline.Core.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>
/// Hand-computed values. Two classes, voxels laid out as [N, C, 1, 1, 2]. Sample A: logits (0, ln 3) and (0, 0), so the
/// softmax is p = (0.25, 0.75) and (0.5, 0.5), with target (1, 0). Sample B: logits all 0 (p = 0.5 everywhere),
/// target (1, 1).
/// </summary>
public class DiceCeLossTests
{
    private const double Smooth = 1e-5;
    private static readonly double Ln3 = Math.Log(3);

    private static Tensor LogitsA() => tensor(new float[] { 0, 0, (float)Ln3, 0 }, [1, 2, 1, 1, 2]);
    private static Tensor TargetA() => tensor(new long[] { 1, 0 }, [1, 1, 1, 2]);
    private static Tensor LogitsAB() => tensor(new float[] { 0, 0, (float)Ln3, 0, 0, 0, 0, 0 }, [2, 2, 1, 1, 2]);
    private static Tensor TargetAB() => tensor(new long[] { 1, 0, 1, 1 }, [2, 1, 1, 2]);

    private static double DiceLoss(double intersection, double predicted, double reference) =>
        1 - (2 * intersection + Smooth) / (predicted + reference + Smooth);

    [Fact]
    public void OneSampleWithBackground()
    {
        using var scope = NewDisposeScope();
        var terms = new DiceCeLoss().Compute(LogitsA(), TargetA());
        // Class 0: Σp·g = 0.5, Σp = 0.75, Σg = 1. Class 1: Σp·g = 0.75, Σp = 1.25, Σg = 1.
        double dice = (DiceLoss(0.5, 0.75, 1) + DiceLoss(0.75, 1.25, 1)) / 2;
        double ce = (-Math.Log(0.75) - Math.Log(0.5)) / 2;
        Assert.Equal(dice, terms.Dice.item<float>(), 5);
        Assert.Equal(ce, terms.CrossEntropy.item<float>(), 5);
        Assert.Equal(dice + ce, terms.Total.item<float>(), 5);
    }

    [Fact]
    public void WithoutBackgroundOnlyTheDiceTermChanges()
    {
        using var scope = NewDisposeScope();
        var terms = new DiceCeLoss(includeBackground: false).Compute(LogitsA(), TargetA());
        Assert.Equal(DiceLoss(0.75, 1.25, 1), terms.Dice.item<float>(), 5);
        Assert.Equal((-Math.Log(0.75) - Math.Log(0.5)) / 2, terms.CrossEntropy.item<float>(), 5);
    }

    [Fact]
    public void PerSampleVersusBatchDice()
    {
        using var scope = NewDisposeScope();
        var perSample = new DiceCeLoss().Compute(LogitsAB(), TargetAB());
        // Sample B: class 0 has Σp·g = 0, Σp = 1, Σg = 0; class 1 has Σp·g = 1, Σp = 1, Σg = 2.
        double expectedPerSample = (DiceLoss(0.5, 0.75, 1) + DiceLoss(0.75, 1.25, 1) + DiceLoss(0, 1, 0) + DiceLoss(1, 1, 2)) / 4;
        Assert.Equal(expectedPerSample, perSample.Dice.item<float>(), 5);

        var batch = new DiceCeLoss(batch: true).Compute(LogitsAB(), TargetAB());
        // Batch sums: class 0 Σp·g = 0.5, Σp = 1.75, Σg = 1; class 1 Σp·g = 1.75, Σp = 2.25, Σg = 3.
        double expectedBatch = (DiceLoss(0.5, 1.75, 1) + DiceLoss(1.75, 2.25, 3)) / 2;
        Assert.Equal(expectedBatch, batch.Dice.item<float>(), 5);
        double ce = (-Math.Log(0.75) - 3 * Math.Log(0.5)) / 4;
        Assert.Equal(ce, batch.CrossEntropy.item<float>(), 5);
        Assert.Equal(ce, perSample.CrossEntropy.item<float>(), 5);
    }

    [Fact]
    public void BatchWithoutBackground()
    {
        using var scope = NewDisposeScope();
        var terms = new DiceCeLoss(includeBackground: false, batch: true).Compute(LogitsAB(), TargetAB());
        Assert.Equal(DiceLoss(1.75, 2.25, 3), terms.Dice.item<float>(), 5);
    }

    [Fact]
    public void LambdasWeightTheTermsAndTargetsMayHaveAChannelAxis()
    {
        using var scope = NewDisposeScope();
        var plain = new DiceCeLoss().Compute(LogitsA(), TargetA());
        var weighted = new DiceCeLoss(lambdaDice: 0.5, lambdaCe: 2).Compute(LogitsA(), TargetA().unsqueeze(1));
        double expected = 0.5 * plain.Dice.item<float>() + 2 * plain.CrossEntropy.item<float>();
        Assert.Equal(expected, weighted.Total.item<float>(), 5);
    }

    /// <summary>
    /// MONAI's DiceCELoss(to_onehot_y=True, softmax=True, ...) written out with plain loops in double precision:
    /// softmax over classes, one-hot target, per (sample, class) or per class (batch) sums over voxels, then
    /// 1 − (2·I + smooth_nr) / (P + G + smooth_dr) averaged, plus the mean cross-entropy over all voxels.
    /// </summary>
    private static (double Dice, double CrossEntropy) MonaiByLoops(float[] logits, long[] target, int n, int c, int voxels,
                                                                   bool includeBackground, bool batch, bool squared, double smoothNr, double smoothDr)
    {
        var p = new double[n, c, voxels];
        double crossEntropy = 0;
        for (int b = 0; b < n; b++)
            for (int v = 0; v < voxels; v++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < c; k++) max = Math.Max(max, logits[(b * c + k) * voxels + v]);
                double sum = 0;
                for (int k = 0; k < c; k++) sum += Math.Exp(logits[(b * c + k) * voxels + v] - max);
                for (int k = 0; k < c; k++) p[b, k, v] = Math.Exp(logits[(b * c + k) * voxels + v] - max) / sum;
                crossEntropy -= Math.Log(p[b, target[b * voxels + v], v]);
            }
        crossEntropy /= n * voxels;

        int first = includeBackground ? 0 : 1;
        var ratios = new List<double>();
        for (int b = 0; b < (batch ? 1 : n); b++)
            for (int k = first; k < c; k++)
            {
                double intersection = 0, predicted = 0, reference = 0;
                for (int bb = batch ? 0 : b; bb < (batch ? n : b + 1); bb++)
                    for (int v = 0; v < voxels; v++)
                    {
                        double g = target[bb * voxels + v] == k ? 1 : 0, q = p[bb, k, v];
                        intersection += q * g;
                        predicted += squared ? q * q : q;
                        reference += squared ? g * g : g;
                    }
                ratios.Add(1 - (2 * intersection + smoothNr) / (predicted + reference + smoothDr));
            }
        return (ratios.Average(), crossEntropy);
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, true, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    public void MatchesMonaisFormulaComputedWithLoops(bool includeBackground, bool batch, bool squared)
    {
        using var scope = NewDisposeScope();
        const int n = 2, c = 3, d = 2, h = 3, w = 2, voxels = d * h * w;
        var random = new Random(11);
        float[] logits = Enumerable.Range(0, n * c * voxels).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        // Class 2 never occurs in sample 1, so an empty reference class is covered too.
        long[] target = Enumerable.Range(0, n * voxels).Select(i => (long)(i < voxels ? random.Next(c) : random.Next(2))).ToArray();
        var loss = new DiceCeLoss(includeBackground, batch, lambdaDice: 0.7, lambdaCe: 1.3, smoothNumerator: 1e-5,
                                  smoothDenominator: 1e-5, squaredPrediction: squared);

        var terms = loss.Compute(tensor(logits, [n, c, d, h, w]), tensor(target, [n, 1, d, h, w]));

        var (dice, crossEntropy) = MonaiByLoops(logits, target, n, c, voxels, includeBackground, batch, squared, 1e-5, 1e-5);
        Assert.Equal(dice, terms.Dice.item<float>(), 5);
        Assert.Equal(crossEntropy, terms.CrossEntropy.item<float>(), 5);
        Assert.Equal(0.7 * dice + 1.3 * crossEntropy, terms.Total.item<float>(), 5);
    }

    [Fact]
    public void SmoothingTermsAreThoseGiven()
    {
        using var scope = NewDisposeScope();
        // An empty class 1 in a one-voxel sample: Dice = 1 - smooth_nr / (p1 + smooth_dr) with p1 = 0.5.
        var logits = tensor(new float[] { 0, 0 }, [1, 2, 1, 1, 1]);
        var target = tensor(new long[] { 0 }, [1, 1, 1, 1]);
        var terms = new DiceCeLoss(includeBackground: false, smoothNumerator: 0.5, smoothDenominator: 0.5).Compute(logits, target);
        Assert.Equal(1 - 0.5 / (0.5 + 0.5), terms.Dice.item<float>(), 6);
    }

    [Fact]
    public void GradientsFlowToTheLogits()
    {
        using var scope = NewDisposeScope();
        var logits = LogitsAB().requires_grad_();
        new DiceCeLoss().Compute(logits, TargetAB()).Total.backward();
        Assert.True(logits.grad is not null && logits.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void BadTargetsAreRejectedWithTheirShapeOrValues()
    {
        using var scope = NewDisposeScope();
        var loss = new DiceCeLoss();
        Assert.Contains("does not match", Assert.Throws<ArgumentException>(() => loss.Compute(LogitsA(), tensor(new long[] { 1, 0, 1 }, [1, 1, 1, 3]))).Message);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentException>(() => loss.Compute(LogitsA(), tensor(new long[] { 2, 0 }, [1, 1, 1, 2]))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiceCeLoss(lambdaDice: -1));
    }
}
