using Pipeline.Core.Training.Schedules;

namespace Pipeline.Tests.Training;

/// <summary>The schedules' formulas at chosen iterations, with the expected values worked out by hand.</summary>
public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantIsTheBaseRateAfterALinearWarmup()
    {
        var plain = new ConstantSchedule(1e-3, totalIterations: 10);
        Assert.All(Enumerable.Range(1, 10), i => Assert.Equal(1e-3, plain.RateAt(i)));

        var warm = new ConstantSchedule(1e-3, totalIterations: 10, warmupIterations: 4);
        Assert.Equal(2.5e-4, warm.RateAt(1), 15);
        Assert.Equal(7.5e-4, warm.RateAt(3), 15);
        Assert.Equal(1e-3, warm.RateAt(4), 15);
        Assert.Equal(1e-3, warm.RateAt(10), 15);
    }

    [Fact]
    public void WarmupCosineClimbsThenFollowsAHalfCosineToTheMinimum()
    {
        // T = 10, W = 2, base 1, min 0.1: after the warmup, step i uses progress (i - 1 - 2) / 8.
        var schedule = new WarmupCosineSchedule(1.0, totalIterations: 10, warmupIterations: 2, minimumRate: 0.1);
        Assert.Equal(0.5, schedule.RateAt(1), 15);
        Assert.Equal(1.0, schedule.RateAt(2), 15);
        Assert.Equal(1.0, schedule.RateAt(3), 15);                                 // progress 0
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Sqrt(0.5)), schedule.RateAt(5), 15); // progress 2/8: cos(pi/4)
        Assert.Equal(0.55, schedule.RateAt(7), 15);                                // progress 1/2: cos = 0
        Assert.Equal(0.13425421037, schedule.RateAt(10), 10);                      // progress 7/8: cos(7pi/8) = -0.92387953
        Assert.Equal(10, schedule.TotalIterations);
    }

    [Fact]
    public void PolyIsNnUNetsDecayAfterAnOptionalWarmup()
    {
        // nnU-Net: initial_lr * (1 - step / max_steps) ** 0.9 with a 0-based step.
        var schedule = new PolySchedule(0.01, totalIterations: 100);
        Assert.Equal(0.01, schedule.RateAt(1), 15);
        Assert.Equal(0.01 * 0.535886731268146, schedule.RateAt(51), 15);         // 0.5 ** 0.9
        Assert.Equal(0.01 * 0.0158489319246111, schedule.RateAt(100), 15);       // 0.01 ** 0.9

        var warm = new PolySchedule(0.01, totalIterations: 110, warmupIterations: 10, power: 0.9);
        Assert.Equal(0.005, warm.RateAt(5), 15);
        Assert.Equal(0.01, warm.RateAt(10), 15);
        Assert.Equal(0.01, warm.RateAt(11), 15);
        Assert.Equal(0.01 * 0.535886731268146, warm.RateAt(61), 15);

        var square = new PolySchedule(1.0, totalIterations: 4, power: 2);
        Assert.Equal([1.0, 0.5625, 0.25, 0.0625], Enumerable.Range(1, 4).Select(square.RateAt));
    }

    [Fact]
    public void TheFactoryBuildsTheNamedScheduleAndBadArgumentsAreRefused()
    {
        Assert.IsType<ConstantSchedule>(LearningRateSchedules.Create(LearningRateScheduleKind.Constant, 1, 10, 0, 0, 0.9));
        Assert.IsType<WarmupCosineSchedule>(LearningRateSchedules.Create(LearningRateScheduleKind.WarmupCosine, 1, 10, 2, 0, 0.9));
        Assert.IsType<PolySchedule>(LearningRateSchedules.Create(LearningRateScheduleKind.Poly, 1, 10, 0, 0, 0.9));

        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(1, totalIterations: 10, warmupIterations: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1, 10, 0, minimumRate: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolySchedule(1, 10, 0, power: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolySchedule(0, 10));
        var schedule = new ConstantSchedule(1, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.RateAt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.RateAt(11));
    }
}
