using Pipeline.Core.Training;

namespace Pipeline.Core.Stages;

/// <summary>
/// The validation number that selects <c>best.ckpt</c> (higher is better): <c>mean_dice</c>, the mean over the
/// foreground classes, or <c>dice.CLASS</c>, one class's mean Dice over the validation cases.
/// </summary>
internal sealed class TrainBestMetric
{
    private const string MeanDice = "mean_dice";
    private const string ClassPrefix = "dice.";

    private TrainBestMetric(string name, string? className)
    {
        Name = name;
        ClassName = className;
    }

    /// <summary>The option's value.</summary>
    public string Name { get; }

    /// <summary>The class of a <c>dice.CLASS</c> metric; null for <c>mean_dice</c>.</summary>
    public string? ClassName { get; }

    /// <summary>What is wrong with <paramref name="name"/> as a <c>best_metric</c>, or null when it is well-formed.</summary>
    public static string? Problem(string? name) =>
        name == MeanDice || (name is not null && name.StartsWith(ClassPrefix, StringComparison.Ordinal) && name.Length > ClassPrefix.Length)
            ? null
            : $"must be mean_dice or dice.CLASS (a foreground class name, e.g. dice.tube), got '{name}'.";

    /// <summary>The metric <paramref name="name"/> names; throws naming the classes when the class is not one of <paramref name="classNames"/>.</summary>
    /// <param name="name">The option value.</param>
    /// <param name="classNames">All class names of the dataset (index 0 = background).</param>
    /// <param name="stageName">For messages.</param>
    public static TrainBestMetric Parse(string name, IReadOnlyList<string> classNames, string stageName)
    {
        if (Problem(name) is { } problem)
            throw new ArgumentException($"Stage '{stageName}': best_metric {problem}");
        if (name == MeanDice) return new TrainBestMetric(name, null);
        string className = name[ClassPrefix.Length..];
        if (!classNames.Skip(1).Contains(className, StringComparer.Ordinal))
            throw new InvalidOperationException(
                $"Stage '{stageName}': best_metric '{name}' names no foreground class of the dataset; classes: " +
                string.Join(", ", classNames.Skip(1)) + ".");
        return new TrainBestMetric(name, className);
    }

    /// <summary>The metric's value in <paramref name="result"/> (NaN when undefined).</summary>
    public double Of(EvaluationResult result)
    {
        if (ClassName is null) return result.MeanDice;
        int index = result.ClassNames.ToList().IndexOf(ClassName);
        return index < 0 ? double.NaN : result.MeanDicePerClass[index];
    }
}
