namespace Pipeline.Core.Training.Schedules;

/// <summary>Builds the schedule a <see cref="LearningRateScheduleKind"/> names.</summary>
public static class LearningRateSchedules
{
    /// <summary>The schedule of kind <paramref name="kind"/> over <paramref name="totalIterations"/> steps.</summary>
    /// <param name="kind">Which schedule.</param>
    /// <param name="baseRate">η_base, the rate after the warmup.</param>
    /// <param name="totalIterations">Steps of the run.</param>
    /// <param name="warmupIterations">Linear warmup steps (all kinds).</param>
    /// <param name="minimumRate">η_min of <see cref="WarmupCosineSchedule"/> (ignored by the others).</param>
    /// <param name="polyPower">Exponent of <see cref="PolySchedule"/> (ignored by the others).</param>
    public static ILearningRateSchedule Create(LearningRateScheduleKind kind, double baseRate, int totalIterations,
                                               int warmupIterations, double minimumRate, double polyPower) => kind switch
    {
        LearningRateScheduleKind.Constant => new ConstantSchedule(baseRate, totalIterations, warmupIterations),
        LearningRateScheduleKind.WarmupCosine => new WarmupCosineSchedule(baseRate, totalIterations, warmupIterations, minimumRate),
        LearningRateScheduleKind.Poly => new PolySchedule(baseRate, totalIterations, warmupIterations, polyPower),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown learning-rate schedule."),
    };
}
