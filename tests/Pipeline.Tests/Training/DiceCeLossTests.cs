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
