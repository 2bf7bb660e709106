namespace Pipeline.Core.Stages;

/// <summary>
/// Sums of the loss terms since the last loss record of <c>metrics.jsonl</c>. It is part of a training checkpoint, so
/// a resumed run writes the same records as an uninterrupted one even when a checkpoint falls inside a window.
/// </summary>
public sealed class TrainLossWindow
{
    /// <summary>Optimizer steps summed.</summary>
    public int Steps { get; set; }

    /// <summary>Sum of the total loss.</summary>
    public double Total { get; set; }

    /// <summary>Sum of the Dice term.</summary>
    public double Dice { get; set; }

    /// <summary>Sum of the cross-entropy term.</summary>
    public double CrossEntropy { get; set; }

    /// <summary>Sum of the gradient norms before clipping (only summed while clipping is on).</summary>
    public double GradientNorm { get; set; }

    /// <summary>Adds one step.</summary>
    public void Add(double total, double dice, double crossEntropy, double? gradientNorm)
    {
        Steps++;
        Total += total;
        Dice += dice;
        CrossEntropy += crossEntropy;
        GradientNorm += gradientNorm ?? 0;
    }

    /// <summary>Starts a new window.</summary>
    public void Reset()
    {
        Steps = 0;
        Total = Dice = CrossEntropy = GradientNorm = 0;
    }

    /// <summary>A copy (for a checkpoint).</summary>
    public TrainLossWindow Copy() => (TrainLossWindow)MemberwiseClone();
}
