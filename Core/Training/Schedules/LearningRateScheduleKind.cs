namespace Pipeline.Core.Training.Schedules;

/// <summary>The learning-rate schedules of the train stage (YAML: <c>constant</c>, <c>warmup_cosine</c>, <c>poly</c>).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base rate throughout, after the optional warmup (<see cref="ConstantSchedule"/>).</summary>
    Constant,

    /// <summary>Linear warmup, then a half cosine down to the minimum rate (<see cref="WarmupCosineSchedule"/>).</summary>
    WarmupCosine,

    /// <summary>Optional linear warmup, then nnU-Net's polynomial decay (<see cref="PolySchedule"/>).</summary>
    Poly,
}
