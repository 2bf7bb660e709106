using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Pipeline.Core.Engine;

/// <summary>Everything a stage may use: its folder, the run's seed and device, models, datasets, earlier results.</summary>
public sealed class StageContext
{
    /// <summary>The stage's name in the manifest.</summary>
    public required string StageName { get; init; }

    /// <summary>The stage's own output folder inside the run folder (created).</summary>
    public required string StageDirectory { get; init; }

    /// <summary>The run folder (<c>OUT/&lt;pipeline&gt;/&lt;timestamp&gt;</c>).</summary>
    public required string RunDirectory { get; init; }

    /// <summary>The run's <c>checkpoints/</c> folder (created).</summary>
    public required string CheckpointDirectory { get; init; }

    /// <summary>
    /// True when the run is being resumed (<c>pipeline run --resume</c>) and this is the stage it resumes: a stage that
    /// implements <see cref="Plugins.IResumableStage"/> continues from the state it saved in the run folder (and
    /// removes its own metrics records past that state); others are simply run again.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>The manifest's seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The device tensors live on.</summary>
    public required Device Device { get; init; }

    /// <summary>The manifest's model.</summary>
    public required IModelFactory Models { get; init; }

    /// <summary>The manifest's datasets.</summary>
    public required IDatasetCatalog Datasets { get; init; }

    /// <summary>Results of the stages that ran before this one, by stage name.</summary>
    public required IReadOnlyDictionary<string, StageResult> CompletedStages { get; init; }

    /// <summary>Sink for <c>metrics.jsonl</c>.</summary>
    public required IMetricsSink Metrics { get; init; }

    /// <summary>Progress display.</summary>
    public required IProgressSink Progress { get; init; }

    /// <summary>Logger scoped to the stage.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The stage's <c>augment</c> transforms (applied to each training patch), or null when it has none.</summary>
    public Transforms.Compose? Augment { get; init; }

    /// <summary>The result of an earlier stage; throws naming the available stages when unknown.</summary>
    public StageResult RequireStage(string name) =>
        CompletedStages.TryGetValue(name, out var result)
            ? result
            : throw new InvalidOperationException(
                $"Stage '{StageName}' refers to stage '{name}', which has not run before it. Earlier stages: " +
                (CompletedStages.Count == 0 ? "(none)" : string.Join(", ", CompletedStages.Keys)) + ".");
}
