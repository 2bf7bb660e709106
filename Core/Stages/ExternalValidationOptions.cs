using System.ComponentModel;
using Pipeline.Core.Inference;
using Pipeline.Core.Metrics;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>external-validation</c> stage: score a trained model on other datasets through the organ
/// vocabulary (the paper's external setting: a FLARE model on MSD Spleen, KiTS, LiTS, TCIA Pancreas).
/// </summary>
public sealed class ExternalValidationOptions : IValidatableOptions
{
    /// <summary>The training (or transfer) stage whose checkpoint is scored.</summary>
    [StageReference]
    [Description("Training stage whose checkpoint is scored (or set checkpoint_file).")]
    public string? Model { get; set; }

    /// <summary>Which of that stage's checkpoints.</summary>
    [Description("best or latest.")]
    public CheckpointChoice Checkpoint { get; set; } = CheckpointChoice.Best;

    /// <summary>A checkpoint file to score instead of a stage's (e.g. one imported from PyTorch).</summary>
    [Description("A .ckpt file to score instead of a stage's checkpoint.")]
    public string? CheckpointFile { get; set; }

    /// <summary>The dataset the model was trained on: its class names are the model's classes.</summary>
    [DatasetReference]
    [Description("Dataset whose class names the model predicts (or set model_classes).")]
    public string? ModelDataset { get; set; }

    /// <summary>The model's class names by output channel, when no model dataset is given.</summary>
    [Description("The model's class names by output channel (index 0 = background).")]
    public string[] ModelClasses { get; set; } = [];

    /// <summary>The external datasets.</summary>
    [DatasetReference]
    [Description("External datasets to score on (manifest dataset names).")]
    public string[] Datasets { get; set; } = [];

    /// <summary>The split of each external dataset that is scored.</summary>
    [Description("Split of each external dataset to score (default: all labelled cases).")]
    public string Split { get; set; } = "all";

    /// <summary>Sliding-window size.</summary>
    [Description("Sliding-window size [d, h, w].")]
    public int[] RoiSize { get; set; } = [32, 32, 32];

    /// <summary>Sliding-window overlap.</summary>
    [Description("Sliding-window overlap in [0, 1).")]
    public double Overlap { get; set; } = 0.5;

    /// <summary>Windows per network call.</summary>
    [Description("Windows per network call.")]
    public int SwBatchSize { get; set; } = 4;

    /// <summary>NSD tolerance.</summary>
    [Description("Normalised surface Dice tolerance in mm.")]
    public double NsdToleranceMm { get; set; } = MetricOptions.DefaultNsdToleranceMm;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Model) == string.IsNullOrWhiteSpace(CheckpointFile))
            yield return ("model", "set exactly one of model (a training stage) and checkpoint_file.");
        if (CheckpointFile is not null && !File.Exists(CheckpointFile))
            yield return ("checkpoint_file", $"file '{Path.GetFullPath(CheckpointFile)}' does not exist.");
        if (string.IsNullOrWhiteSpace(ModelDataset) == (ModelClasses.Length == 0))
            yield return ("model_dataset", "set exactly one of model_dataset and model_classes.");
        if (Datasets.Length == 0)
            yield return ("datasets", "list at least one external dataset.");
        foreach (var problem in StageOptionChecks.SizeProblems("roi_size", RoiSize)) yield return problem;
        foreach (var problem in SlidingWindowOptions.OverlapAndBatchProblems(Overlap, SwBatchSize)) yield return problem;
        if (!(NsdToleranceMm > 0)) yield return ("nsd_tolerance_mm", $"must be positive, got {NsdToleranceMm}.");
    }
}
