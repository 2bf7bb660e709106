namespace Pipeline.Core.Training.Schedules;

/// <summary>
/// Linear warmup, then a half cosine from η_base down towards η_min. With T steps, W of them warmup, step i
/// (1-based) runs at
/// <list type="bullet">
/// <item>η(i) = η_base · i / W for i ≤ W;</item>
/// <item>η(i) = η_min + (η_base − η_min) · ½ · (1 + cos(π · (i − 1 − W) / (T − W))) for i &gt; W.</item>
/// </list>
/// The first step after the warmup runs at η_base (like torch's <c>CosineAnnealingLR</c> at epoch 0) and the last at
/// just above η_min.
/// </summary>
public sealed class WarmupCosineSchedule : ILearningRateSchedule
{
    private readonly double _baseRate;
    private readonly double _minimumRate;
    private readonly int _warmupIterations;

    /// <param name="baseRate">η_base (&gt; 0).</param>
    /// <param name="totalIterations">T, steps of the run (≥ 1).</param>
    /// <param name="warmupIterations">W, in [0, T).</param>
    /// <param name="minimumRate">η_min, in [0, η_base].</param>
    public WarmupCosineSchedule(double baseRate, int totalIterations, int warmupIterations, double minimumRate)
    {
        LinearWarmup.Check(baseRate, totalIterations, warmupIterations);
        if (!(minimumRate >= 0 && minimumRate <= baseRate))
            throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, $"min_lr must be in [0, learning_rate] = [0, {baseRate}].");
        _baseRate = baseRate;
        _minimumRate = minimumRate;
        _warmupIterations = warmupIterations;
        TotalIterations = totalIterations;
    }

    /// <inheritdoc />
    public int TotalIterations { get; }

    /// <inheritdoc />
    public double RateAt(int iteration)
    {
        LinearWarmup.CheckIteration(iteration, TotalIterations);
        if (LinearWarmup.TryRate(_baseRate, _warmupIterations, iteration, out double warm)) return warm;
        double progress = (double)(iteration - 1 - _warmupIterations) / (TotalIterations - _warmupIterations);
        return _minimumRate + (_baseRate - _minimumRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
