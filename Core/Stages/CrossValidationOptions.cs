using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Inference;
using Pipeline.Core.Metrics;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>cross-validate</c> stage: k-fold cross-validation of the manifest's model on one dataset (the
/// paper reports FLARE as a 5-fold mean). Every fold trains with <see cref="Train"/> (the train stage's options; its
/// <c>dataset</c> is the dataset that is split) and is then scored on its held-out cases with Dice, HD95 and NSD.
/// </summary>
public sealed class CrossValidationOptions : IValidatableOptions
{
    /// <summary>
    /// How each fold trains: the <c>train</c> stage's options. <c>dataset</c> names the dataset to split;
    /// <c>train_split</c> and <c>validation_split</c> name the fold's two parts (their defaults are fine).
    /// </summary>
    [Required]
    [Description("How each fold trains: the train stage's options (dataset = the dataset that is split).")]
    public TrainOptions Train { get; set; } = new();

    /// <summary>Number of folds.</summary>
    [Description("Number of folds (the paper: 5).")]
    public int Folds { get; set; } = 5;

    /// <summary>Seed of the fold assignment.</summary>
    [Description("Seed of the fold assignment (same cases + seed = same folds).")]
    public int SplitSeed { get; set; } = 12345;

    /// <summary>The dataset's splits whose cases, together, are divided into folds.</summary>
    [Description("Splits of the dataset whose cases are divided into folds (file datasets: all = every labelled case).")]
    public string[] CaseSplits { get; set; } = ["all"];

    /// <summary>A <c>splits.json</c> / nnU-Net <c>splits_final.json</c> to take the folds from instead of generating them.</summary>
    [Description("Folds from a splits.json / splits_final.json file instead of generating them (folds and split_seed are then unused).")]
    public string? SplitsFile { get; set; }

    /// <summary>The folds to run (0-based); empty runs them all.</summary>
    [Description("Folds to run, 0-based (default: all); the summary covers the folds run.")]
    public int[] RunFolds { get; set; } = [];

    /// <summary>Which checkpoint of each fold is scored.</summary>
    [Description("Which checkpoint of each fold is scored: best (needs train.validate_every > 0) or latest.")]
    public CheckpointChoice Checkpoint { get; set; } = CheckpointChoice.Best;

    /// <summary>Sliding-window size for scoring; when not set, the training's validation window.</summary>
    [Description("Sliding-window size [d, h, w] for scoring; default: train.roi_size (= train.patch_size).")]
    public int[]? RoiSize { get; set; }

    /// <summary>Sliding-window overlap for scoring.</summary>
    [Description("Sliding-window overlap in [0, 1) for scoring (test_seg.py default: 0.5).")]
    public double Overlap { get; set; } = 0.5;

    /// <summary>Windows per network call when scoring.</summary>
    [Description("Windows per network call when scoring.")]
    public int SwBatchSize { get; set; } = 4;

    /// <summary>NSD tolerance.</summary>
    [Description("Normalised surface Dice tolerance in mm.")]
    public double NsdToleranceMm { get; set; } = MetricOptions.DefaultNsdToleranceMm;

    /// <summary>The scoring window in effect: <see cref="RoiSize"/> or else the training's validation window.</summary>
    public int[] EffectiveRoiSize() => RoiSize ?? Train.EffectiveRoiSize();

    /// <inheritdoc />
    /// <remarks>The nested <see cref="Train"/> options validate themselves (the manifest binder runs their checks under <c>train.</c>).</remarks>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Train is null)
            yield return ("train", "is required: how each fold trains (the train stage's options).");
        if (SplitsFile is null && Folds < 2)
            yield return ("folds", $"must be at least 2, got {Folds}.");
        if (SplitsFile is not null && !File.Exists(SplitsFile))
            yield return ("splits_file", $"file '{Path.GetFullPath(SplitsFile)}' does not exist.");
        if (CaseSplits is null || CaseSplits.Length == 0 || CaseSplits.Any(string.IsNullOrWhiteSpace))
            yield return ("case_splits", "must list at least one split name, e.g. [all].");
        if (RunFolds is null || RunFolds.Any(f => f < 0) || (SplitsFile is null && RunFolds.Any(f => f >= Folds)))
            yield return ("run_folds", $"must list folds in 0..{Folds - 1}, got [{string.Join(", ", RunFolds ?? [])}].");
        else if (RunFolds.Distinct().Count() != RunFolds.Length)
            yield return ("run_folds", $"lists a fold twice: [{string.Join(", ", RunFolds)}].");
        if (!Enum.IsDefined(Checkpoint))
            yield return ("checkpoint", $"must be best or latest, got {Checkpoint}.");
        else if (Checkpoint == CheckpointChoice.Best && Train is { ValidateEvery: 0 })
            yield return ("checkpoint", "best needs train.validate_every > 0 (a best checkpoint is chosen by validation); use latest.");
        if (RoiSize is not null)
            foreach (var problem in StageOptionChecks.SizeProblems("roi_size", RoiSize))
                yield return problem;
        foreach (var problem in SlidingWindowOptions.OverlapAndBatchProblems(Overlap, SwBatchSize))
            yield return problem;
        if (!(NsdToleranceMm >= 0) || double.IsInfinity(NsdToleranceMm))
            yield return ("nsd_tolerance_mm", $"must be a finite number ≥ 0, got {NsdToleranceMm}.");
    }
}
