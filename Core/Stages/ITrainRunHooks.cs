using Pipeline.Core.Nn;

namespace Pipeline.Core.Stages;

/// <summary>
/// What a stage built on the train loop (<see cref="TrainRun"/>) adds to it, e.g. the <c>transfer</c> stage's
/// starting weights and frozen encoder. Hooks must not draw from torch's generators, so that a run with hooks stays
/// reproducible and resumes exactly.
/// </summary>
internal interface ITrainRunHooks
{
    /// <summary>
    /// Called once when the run starts from scratch (not when it continues from its <c>latest.ckpt</c>), after the
    /// network was created with the run's seed and before the first step.
    /// </summary>
    void Initialize(SegmentationNetwork network);

    /// <summary>Called before optimizer step <paramref name="iteration"/> (1-based), including the first step after a resume.</summary>
    void BeforeStep(SegmentationNetwork network, int iteration);
}
