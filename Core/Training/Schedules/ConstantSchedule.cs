namespace Pipeline.Core.Training.Schedules;

/// <summary>
/// η(i) = η_base for every step after the optional linear warmup (η(i) = η_base · i / W for i ≤ W). Without warmup
/// this is the official 3D UX-Net / RepUX-Net recipe, which uses no schedule.
/// </summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    private readonly double _baseRate;
    private readonly int _warmupIterations;

    /// <param name="baseRate">η_base (&gt; 0).</param>
    /// <param name="totalIterations">Steps of the run (≥ 1).</param>
    /// <param name="warmupIterations">W, in [0, <paramref name="totalIterations"/>).</param>
    public ConstantSchedule(double baseRate, int totalIterations, int warmupIterations = 0)
    {
        LinearWarmup.Check(baseRate, totalIterations, warmupIterations);
        _baseRate = baseRate;
        _warmupIterations = warmupIterations;
        TotalIterations = totalIterations;
    }

    /// <inheritdoc />
    public int TotalIterations { get; }

    /// <inheritdoc />
    public double RateAt(int iteration)
    {
        LinearWarmup.CheckIteration(iteration, TotalIterations);
        return LinearWarmup.TryRate(_baseRate, _warmupIterations, iteration, out double warm) ? warm : _baseRate;
    }
}
