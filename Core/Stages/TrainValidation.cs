namespace Pipeline.Core.Stages;

/// <summary>One periodic validation of the train stage, as kept in its checkpoints' history.</summary>
/// <param name="Iteration">The iteration after which it ran.</param>
/// <param name="Metric">The value of the stage's <c>best_metric</c> (null when undefined).</param>
/// <param name="MeanDice">Mean Dice over the foreground classes (null when undefined).</param>
/// <param name="Dice">Mean Dice per foreground class (null where undefined).</param>
public sealed record TrainValidation(int Iteration, double? Metric, double? MeanDice, IReadOnlyDictionary<string, double?> Dice);
