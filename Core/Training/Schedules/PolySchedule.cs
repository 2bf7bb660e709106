namespace Pipeline.Core.Training.Schedules;

/// <summary>
/// nnU-Net's polynomial decay (<c>PolyLRScheduler</c>: η_base · (1 − step / max_steps)^0.9 with a 0-based step),
/// after an optional linear warmup. With T steps, W of them warmup, step i (1-based) runs at
/// <list type="bullet">
/// <item>η(i) = η_base · i / W for i ≤ W;</item>
/// <item>η(i) = η_base · (1 − (i − 1 − W) / (T − W))^p for i &gt; W.</item>
/// </list>
/// Without warmup the first step runs at η_base and the last at η_base · (1 / T)^p, exactly as in nnU-Net.
/// </summary>
public sealed class PolySchedule : ILearningRateSchedule
{
    private readonly double _baseRate;
    private readonly double _power;
    private readonly int _warmupIterations;

    /// <param name="baseRate">η_base (&gt; 0).</param>
    /// <param name="totalIterations">T, steps of the run (≥ 1).</param>
    /// <param name="warmupIterations">W, in [0, T).</param>
    /// <param name="power">p (&gt; 0; nnU-Net: 0.9).</param>
    public PolySchedule(double baseRate, int totalIterations, int warmupIterations = 0, double power = 0.9)
    {
        LinearWarmup.Check(baseRate, totalIterations, warmupIterations);
        if (!(power > 0) || double.IsInfinity(power))
            throw new ArgumentOutOfRangeException(nameof(power), power, "poly_power must be a finite number > 0.");
        _baseRate = baseRate;
        _power = power;
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
        double done = (double)(iteration - 1 - _warmupIterations) / (TotalIterations - _warmupIterations);
        return _baseRate * Math.Pow(1 - done, _power);
    }
}
