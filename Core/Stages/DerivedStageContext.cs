using Pipeline.Core.Engine;

namespace Pipeline.Core.Stages;

/// <summary>
/// Contexts for work a stage runs on the train loop under its own name and folders: the <c>transfer</c> stage's
/// training (own checkpoint folder, retargeted model) and each fold of <c>cross-validate</c>.
/// </summary>
internal static class DerivedStageContext
{
    /// <summary>A copy of <paramref name="context"/> with the given members replaced (null keeps the original's).</summary>
    public static StageContext With(StageContext context, string? stageName = null, string? stageDirectory = null,
        string? checkpointDirectory = null, IModelFactory? models = null, IDatasetCatalog? datasets = null, bool? resume = null) => new()
    {
        StageName = stageName ?? context.StageName,
        StageDirectory = stageDirectory ?? context.StageDirectory,
        RunDirectory = context.RunDirectory,
        CheckpointDirectory = checkpointDirectory ?? context.CheckpointDirectory,
        Resume = resume ?? context.Resume,
        Seed = context.Seed,
        Device = context.Device,
        Models = models ?? context.Models,
        Datasets = datasets ?? context.Datasets,
        CompletedStages = context.CompletedStages,
        Metrics = context.Metrics,
        Progress = context.Progress,
        Logger = context.Logger,
    };
}
