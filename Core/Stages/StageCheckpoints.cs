namespace Pipeline.Core.Stages;

/// <summary>Finds the checkpoint file a later stage asks of a training stage.</summary>
public static class StageCheckpoints
{
    /// <summary>The path of <paramref name="choice"/> from stage <paramref name="modelStage"/>; throws naming what exists.</summary>
    public static string Path(Engine.StageContext context, string modelStage, CheckpointChoice choice)
    {
        var training = context.RequireStage(modelStage);
        string artifact = choice == CheckpointChoice.Best ? TrainStage.BestModelArtifact : TrainStage.LatestModelArtifact;
        if (training.Artifacts.TryGetValue(artifact, out var path)) return path;
        string hint = choice == CheckpointChoice.Best
            ? " A best checkpoint exists only when the training stage validated (validate_every > 0); use checkpoint: latest."
            : "";
        throw new InvalidOperationException(
            $"Stage '{context.StageName}': checkpoint: {choice.ToString().ToLowerInvariant()} needs artifact '{artifact}' from stage " +
            $"'{modelStage}', which has: " + (training.Artifacts.Count == 0 ? "(none)" : string.Join(", ", training.Artifacts.Keys)) + "." + hint);
    }
}
