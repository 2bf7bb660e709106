namespace Pipeline.Core.Training;

/// <summary>
/// Per-case and aggregated Dice over a split. The per-class mean skips NaN cases (class absent from both reference and
/// prediction, see <see cref="DiceScore"/>); the overall mean is the mean of the per-class means, skipping NaN classes.
/// </summary>
public sealed class EvaluationResult
{
    /// <param name="classNames">Names of the foreground classes (class 1 first).</param>
    /// <param name="cases">Per-case results, each with one value per foreground class.</param>
    public EvaluationResult(IReadOnlyList<string> classNames, IReadOnlyList<CaseDice> cases)
    {
        if (cases.Any(c => c.Dice.Count != classNames.Count))
            throw new ArgumentException($"Every case needs one Dice value per foreground class ({classNames.Count}).", nameof(cases));
        ClassNames = classNames;
        Cases = cases;
        MeanDicePerClass = Enumerable.Range(0, classNames.Count)
            .Select(k => DiceScore.MeanIgnoringNaN(cases.Select(c => c.Dice[k]))).ToArray();
        MeanDice = DiceScore.MeanIgnoringNaN(MeanDicePerClass);
    }

    /// <summary>Foreground class names (class 1 first).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Per-case Dice.</summary>
    public IReadOnlyList<CaseDice> Cases { get; }

    /// <summary>Mean Dice per foreground class over the cases where it is defined.</summary>
    public IReadOnlyList<double> MeanDicePerClass { get; }

    /// <summary>Mean of <see cref="MeanDicePerClass"/> over the classes where it is defined; NaN when none is.</summary>
    public double MeanDice { get; }

    /// <summary>Per-class mean Dice keyed by class name, with undefined values as null (JSON-ready).</summary>
    public Dictionary<string, object?> DiceByClass() =>
        ClassNames.Select((name, k) => (name, value: (object?)JsonNumber.OrNull(MeanDicePerClass[k])))
                  .ToDictionary(pair => pair.name, pair => pair.value);

    /// <summary>One case's Dice keyed by class name, with undefined values as null (JSON-ready).</summary>
    public Dictionary<string, object?> DiceByClass(CaseDice caseDice) =>
        ClassNames.Select((name, k) => (name, value: (object?)JsonNumber.OrNull(caseDice.Dice[k])))
                  .ToDictionary(pair => pair.name, pair => pair.value);
}
