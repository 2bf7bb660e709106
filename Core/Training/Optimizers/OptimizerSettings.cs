namespace Pipeline.Core.Training.Optimizers;

/// <summary>Everything needed to build one of the train stage's optimizers.</summary>
/// <param name="Kind">Which optimizer.</param>
/// <param name="LearningRate">The initial rate (a schedule sets the rate of every step).</param>
/// <param name="WeightDecay">Decoupled (AdamW) or L2 (Adam, SGD) weight decay, ≥ 0.</param>
/// <param name="Beta1">Adam/AdamW first-moment decay, in [0, 1).</param>
/// <param name="Beta2">Adam/AdamW second-moment decay, in [0, 1).</param>
/// <param name="Epsilon">Adam/AdamW denominator term, &gt; 0.</param>
/// <param name="Momentum">SGD momentum, ≥ 0.</param>
/// <param name="Nesterov">SGD Nesterov momentum (needs momentum &gt; 0).</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind,
    double LearningRate,
    double WeightDecay = 0.01,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double Momentum = 0.99,
    bool Nesterov = true);
