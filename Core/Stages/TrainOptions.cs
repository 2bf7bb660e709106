using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>train</c> stage. Defaults follow the official 3D UX-Net / RepUX-Net recipe (AdamW lr 1e-4 with
/// torch's default weight decay 0.01, 2 patches per step, DiceCE with background, validation every 500 iterations,
/// sliding-window overlap 0.25) except where a CPU needs smaller numbers (32³ patches instead of 96³, 1000
/// iterations instead of 40000).
/// </summary>
public sealed class TrainOptions : IValidatableOptions
{
    /// <summary>Name of the manifest dataset to train on.</summary>
    [Required, DatasetReference]
    [Description("Name of the manifest dataset to train on.")]
    public string Dataset { get; set; } = "";

    /// <summary>Split whose cases provide training patches.</summary>
    [Description("Split whose cases provide training patches.")]
    public string TrainSplit { get; set; } = "train";

    /// <summary>Split scored with sliding windows at every validation.</summary>
    [Description("Split scored with sliding windows at every validation.")]
    public string ValidationSplit { get; set; } = "validation";

    /// <summary>Number of optimizer steps.</summary>
    [Description("Number of optimizer steps (the paper: 40000 for 3D UX-Net, 60000 for RepUX-Net).")]
    public int Iterations { get; set; } = 1000;

    /// <summary>Patches per optimizer step.</summary>
    [Description("Patches per optimizer step (the paper: 2).")]
    public int BatchSize { get; set; } = 2;

    /// <summary>Training patch size [d, h, w]; each must be a multiple of the network's spatial divisor.</summary>
    [Description("Training patch size [d, h, w] (the paper: 96³); multiples of the network's spatial divisor.")]
    public int[] PatchSize { get; set; } = [32, 32, 32];

    /// <summary>
    /// AdamW learning rate. 1e-4 is the paper's value; short CPU runs learn visibly faster with 1e-3.
    /// </summary>
    [Description("AdamW learning rate (the paper: 1e-4; short CPU runs learn faster with 1e-3).")]
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>AdamW decoupled weight decay (torch's default, which the paper's code inherits).</summary>
    [Description("AdamW weight decay (the paper inherits torch's default 0.01).")]
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Probability that a patch is centred on a labelled voxel (the paper's pos:neg = 1:1 gives 0.5).</summary>
    [Description("Probability that a patch is centred on a labelled voxel (the paper: 0.5).")]
    public double ForegroundRatio { get; set; } = 0.5;

    /// <summary>Validate every this many iterations, and after the last; 0 turns validation (and best.ckpt) off.</summary>
    [Description("Validate every N iterations and after the last; 0 = never (then no best checkpoint).")]
    public int ValidateEvery { get; set; } = 500;

    /// <summary>Write a metrics record (mean loss since the previous one) every this many iterations.</summary>
    [Description("Write a loss record to metrics.jsonl every N iterations.")]
    public int LogEvery { get; set; } = 10;

    /// <summary>Save <c>latest.ckpt</c> every this many iterations (it is always saved at the end); 0 = only at the end.</summary>
    [Description("Save latest.ckpt every N iterations (always at the end); 0 = only at the end.")]
    public int CheckpointEvery { get; set; } = 500;

    /// <summary>Validation window size [d, h, w]; when not set, the patch size.</summary>
    [Description("Validation sliding-window size [d, h, w]; default: patch_size.")]
    public int[]? RoiSize { get; set; }

    /// <summary>Fraction of a validation window shared with its neighbour, in [0, 1).</summary>
    [Description("Validation sliding-window overlap in [0, 1) (the paper: 0.25).")]
    public double Overlap { get; set; } = 0.25;

    /// <summary>Validation windows per network call.</summary>
    [Description("Validation windows per network call (the paper: 2).")]
    public int SwBatchSize { get; set; } = 2;

    /// <summary>Weight of the Dice term of the loss.</summary>
    [Description("Weight of the Dice term of the DiceCE loss.")]
    public double LambdaDice { get; set; } = 1.0;

    /// <summary>Weight of the cross-entropy term of the loss.</summary>
    [Description("Weight of the cross-entropy term of the DiceCE loss.")]
    public double LambdaCe { get; set; } = 1.0;

    /// <summary>Whether the background class takes part in the Dice term (the paper: true).</summary>
    [Description("Whether the background class takes part in the Dice term (the paper: true).")]
    public bool IncludeBackground { get; set; } = true;

    /// <summary>
    /// Keep the training and validation cases in memory after their first load (fast; needs memory for the whole
    /// splits). When false, each patch and each validation case loads its case again.
    /// </summary>
    [Description("Keep cases in memory after the first load (false: reload for every use, to save memory).")]
    public bool CacheCases { get; set; } = true;

    /// <summary>The validation window size in effect: <see cref="RoiSize"/> or else <see cref="PatchSize"/>.</summary>
    public int[] EffectiveRoiSize() => RoiSize ?? PatchSize;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Dataset))
            yield return ("dataset", "is required: the name of a dataset declared in the manifest.");
        if (string.IsNullOrWhiteSpace(TrainSplit))
            yield return ("train_split", "must name a split of the dataset.");
        if (ValidateEvery > 0 && string.IsNullOrWhiteSpace(ValidationSplit))
            yield return ("validation_split", "must name a split of the dataset when validate_every > 0.");
        if (Iterations < 1)
            yield return ("iterations", $"must be at least 1, got {Iterations}.");
        if (BatchSize < 1)
            yield return ("batch_size", $"must be at least 1, got {BatchSize}.");
        foreach (var problem in StageOptionChecks.SizeProblems("patch_size", PatchSize))
            yield return problem;
        if (RoiSize is not null)
            foreach (var problem in StageOptionChecks.SizeProblems("roi_size", RoiSize))
                yield return problem;
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            yield return ("learning_rate", $"must be a finite number > 0, got {LearningRate}.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            yield return ("weight_decay", $"must be a finite number ≥ 0, got {WeightDecay}.");
        if (!(ForegroundRatio >= 0 && ForegroundRatio <= 1))
            yield return ("foreground_ratio", $"must be between 0 and 1, got {ForegroundRatio}.");
        if (ValidateEvery < 0)
            yield return ("validate_every", $"must be 0 (never) or positive, got {ValidateEvery}.");
        if (LogEvery < 1)
            yield return ("log_every", $"must be at least 1, got {LogEvery}.");
        if (CheckpointEvery < 0)
            yield return ("checkpoint_every", $"must be 0 (only at the end) or positive, got {CheckpointEvery}.");
        if (!(Overlap >= 0 && Overlap < 1))
            yield return ("overlap", $"must be in [0, 1), got {Overlap}.");
        if (SwBatchSize < 1)
            yield return ("sw_batch_size", $"must be at least 1, got {SwBatchSize}.");
        if (!(LambdaDice >= 0) || double.IsInfinity(LambdaDice))
            yield return ("lambda_dice", $"must be a finite number ≥ 0, got {LambdaDice}.");
        if (!(LambdaCe >= 0) || double.IsInfinity(LambdaCe))
            yield return ("lambda_ce", $"must be a finite number ≥ 0, got {LambdaCe}.");
        if (LambdaDice == 0 && LambdaCe == 0)
            yield return ("lambda_dice", "lambda_dice and lambda_ce cannot both be 0 (nothing would be trained).");
    }
}
