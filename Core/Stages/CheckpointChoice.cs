namespace Pipeline.Core.Stages;

/// <summary>Which checkpoint of a training stage to evaluate.</summary>
public enum CheckpointChoice
{
    /// <summary><c>best.ckpt</c>: the highest validation mean Dice (artifact <c>best_model</c>).</summary>
    Best,
    /// <summary><c>latest.ckpt</c>: the weights at the last completed iteration (artifact <c>latest_model</c>).</summary>
    Latest,
}
