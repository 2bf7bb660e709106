namespace Pipeline.Core.Training.Schedules;

/// <summary>
/// The learning rate of every optimizer step of a training run, as a pure function of the step number: nothing is
/// stored between calls, so a resumed run gets the same rates as an uninterrupted one from the iteration alone.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>Total optimizer steps the schedule spans.</summary>
    int TotalIterations { get; }

    /// <summary>The rate for optimizer step <paramref name="iteration"/> (1-based, at most <see cref="TotalIterations"/>).</summary>
    double RateAt(int iteration);
}
