namespace Pipeline.Core.Engine;

/// <summary>What a stage hands to later stages and to <c>summary.json</c>.</summary>
public sealed class StageResult
{
    /// <summary>Headline results written under the stage's name in <c>summary.json</c> (JSON-serializable values).</summary>
    public Dictionary<string, object?> Summary { get; } = new();

    /// <summary>
    /// Named files later stages can use, e.g. <c>best_model</c> and <c>latest_model</c> (paths of model checkpoints).
    /// </summary>
    public Dictionary<string, string> Artifacts { get; } = new();

    /// <summary>True when the stage stopped early because cancellation was requested (after saving its state).</summary>
    public bool Interrupted { get; set; }
}
