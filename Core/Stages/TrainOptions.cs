using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Data.Cache;
using Pipeline.Core.Inference;
using Pipeline.Core.Plugins;
using Pipeline.Core.Training.Optimizers;
using Pipeline.Core.Training.Schedules;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>train</c> stage. Defaults follow the official 3D UX-Net / RepUX-Net recipe (AdamW lr 1e-4 with
/// torch's default weight decay 0.01, betas (0.9, 0.999), eps 1e-8, no schedule, no clipping, 2 patches per step,
/// MONAI DiceCE with background, validation every 500 iterations, sliding-window overlap 0.25) except where a CPU needs
/// smaller numbers (32³ patches instead of 96³, 1000 iterations instead of 40000). docs/training.md describes the
/// optimizers, schedules, checkpoints and resuming. The <c>transfer</c> stage's options derive from these.
/// </summary>
public class TrainOptions : IValidatableOptions
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
    /// The base learning rate (the rate after warmup; schedules decay from it). 1e-4 is the paper's value; short CPU
    /// runs learn visibly faster with 1e-3.
    /// </summary>
    [Description("Base learning rate (the paper: 1e-4 with AdamW; short CPU runs learn faster with 1e-3).")]
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>Weight decay: decoupled for AdamW, an L2 term in the gradient for Adam and SGD.</summary>
    [Description("Weight decay: decoupled for adamw, L2 for adam and sgd (the paper inherits torch's AdamW default 0.01).")]
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>The optimizer: <c>adamw</c> (the paper), <c>adam</c> or <c>sgd</c>.</summary>
    [Description("Optimizer: adamw (the paper), adam or sgd.")]
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adamw;

    /// <summary>Adam/AdamW moment decays [β1, β2] (torch defaults).</summary>
    [Description("adam/adamw moment decays [beta1, beta2], each in [0, 1) (torch: [0.9, 0.999]).")]
    public double[] Betas { get; set; } = [0.9, 0.999];

    /// <summary>Adam/AdamW term added to the denominator (torch default).</summary>
    [Description("adam/adamw denominator term (torch: 1e-8).")]
    public double Eps { get; set; } = 1e-8;

    /// <summary>SGD momentum (nnU-Net: 0.99); only used by <c>sgd</c>.</summary>
    [Description("sgd momentum in [0, 1) (nnU-Net: 0.99).")]
    public double Momentum { get; set; } = 0.99;

    /// <summary>SGD Nesterov momentum (nnU-Net: true; needs momentum &gt; 0); only used by <c>sgd</c>.</summary>
    [Description("sgd Nesterov momentum (nnU-Net: true; needs momentum > 0).")]
    public bool Nesterov { get; set; } = true;

    /// <summary>The learning-rate schedule: <c>constant</c> (the paper), <c>warmup_cosine</c> or <c>poly</c>.</summary>
    [Description("Learning-rate schedule: constant (the paper), warmup_cosine or poly (nnU-Net).")]
    public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.Constant;

    /// <summary>Steps of linear warmup (rate = learning_rate · i / W at step i ≤ W), for every schedule; less than iterations.</summary>
    [Description("Linear warmup steps for every schedule (0 = none); less than iterations.")]
    public int WarmupIterations { get; set; }

    /// <summary>The rate <c>warmup_cosine</c> decays to at the last step, in [0, learning_rate].</summary>
    [Description("Rate warmup_cosine ends at, in [0, learning_rate].")]
    public double MinLr { get; set; }

    /// <summary>Exponent of the <c>poly</c> schedule (nnU-Net: 0.9).</summary>
    [Description("Exponent of the poly schedule (nnU-Net: 0.9).")]
    public double PolyPower { get; set; } = 0.9;

    /// <summary>Clip the global L2 norm of the gradients to this value before each step; 0 turns clipping off.</summary>
    [Description("Clip the gradients' global L2 norm to this before each step; 0 = off (the paper: off; nnU-Net: 12).")]
    public double GradClipNorm { get; set; }

    /// <summary>Batches whose gradients are summed (each loss divided by this) before one optimizer step.</summary>
    [Description("Batches accumulated per optimizer step (effective batch = batch_size x this).")]
    public int AccumulationSteps { get; set; } = 1;

    /// <summary>Probability that a patch is centred on a labelled voxel (the paper's pos:neg = 1:1 gives 0.5).</summary>
    [Description("Probability that a patch is centred on a labelled voxel (the paper: 0.5).")]
    public double ForegroundRatio { get; set; } = 0.5;

    /// <summary>
    /// Which validation number selects <c>best.ckpt</c> (higher is better): <c>mean_dice</c> (mean over the
    /// foreground classes) or <c>dice.CLASS</c> for one class's mean Dice, e.g. <c>dice.tube</c>.
    /// </summary>
    [Description("Validation metric that selects best.ckpt (higher is better): mean_dice or dice.CLASS.")]
    public string BestMetric { get; set; } = "mean_dice";

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

    /// <summary>MONAI <c>batch</c>: sum the Dice terms over the batch before the ratio, instead of per sample.</summary>
    [Description("Sum Dice terms over the batch before the ratio (MONAI batch=True; the paper: false).")]
    public bool BatchDice { get; set; }

    /// <summary>MONAI <c>squared_pred</c>: squares in the Dice denominator.</summary>
    [Description("Square predictions and targets in the Dice denominator (MONAI squared_pred; the paper: false).")]
    public bool SquaredPred { get; set; }

    /// <summary>MONAI <c>smooth_nr</c>, added to the Dice numerator.</summary>
    [Description("Added to the Dice numerator (MONAI smooth_nr: 1e-5).")]
    public double SmoothNr { get; set; } = 1e-5;

    /// <summary>MONAI <c>smooth_dr</c>, added to the Dice denominator.</summary>
    [Description("Added to the Dice denominator (MONAI smooth_dr: 1e-5).")]
    public double SmoothDr { get; set; } = 1e-5;

    /// <summary>
    /// Keep the training and validation cases in memory after their first load (fast; needs memory for the whole
    /// splits). When false, each patch and each validation case loads its case again.
    /// </summary>
    [Description("Keep cases in memory after the first load (false: reload for every use, to save memory).")]
    public bool CacheCases { get; set; } = true;

    /// <summary>
    /// Where the cases of the splits are kept between uses: <c>memory</c>, <c>none</c> (reload every use) or
    /// <c>disk</c> (loaded and preprocessed once into a compact memory-mapped cache next to the dataset's other
    /// cache files; see <see cref="DiskCachedDataset"/>). When not set, <see cref="CacheCases"/> decides between
    /// memory and none.
    /// </summary>
    [Description("Where cases are kept between uses: memory, none (reload every use) or disk (compact memory-mapped cache written once); default: from cache_cases.")]
    public CaseCacheMode? Cache { get; set; }

    /// <summary>How <c>cache: disk</c> stores image voxels (<see cref="CacheImageType"/>).</summary>
    [Description("Image storage of cache: disk: auto (int16 when lossless, else float32), float32, float16 (relative error <= 2^-11) or int16.")]
    public CacheImageType CacheImageDtype { get; set; } = CacheImageType.Auto;

    /// <summary>
    /// Batches drawn ahead on a background thread (case loading and patch sampling overlap the training step);
    /// 0 draws each batch inside the step. The batches are the same either way, so results and resuming do not
    /// depend on it.
    /// </summary>
    [Description("Batches sampled ahead on a background thread while the network trains; 0 = sample inside each step (same batches either way).")]
    public int Prefetch { get; set; } = 2;

    /// <summary>The case cache in effect: <see cref="Cache"/>, or else memory / none from <see cref="CacheCases"/>.</summary>
    public CaseCacheMode EffectiveCache() => Cache ?? (CacheCases ? CaseCacheMode.Memory : CaseCacheMode.None);

    /// <summary>The largest <see cref="Prefetch"/>: each prefetched batch holds batch_size patches in memory.</summary>
    public const int MaxPrefetch = 64;

    /// <summary>The validation window size in effect: <see cref="RoiSize"/> or else <see cref="PatchSize"/>.</summary>
    public int[] EffectiveRoiSize() => RoiSize ?? PatchSize;

    /// <summary>The optimizer these options describe.</summary>
    public OptimizerSettings OptimizerSettings() =>
        new(Optimizer, LearningRate, WeightDecay, Betas[0], Betas[1], Eps, Momentum, Nesterov);

    /// <summary>The learning-rate schedule these options describe, over <see cref="Iterations"/> steps.</summary>
    public ILearningRateSchedule LearningRateSchedule() =>
        LearningRateSchedules.Create(Schedule, LearningRate, Iterations, WarmupIterations, MinLr, PolyPower);

    /// <inheritdoc />
    public virtual IEnumerable<(string Key, string Message)> Validate()
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
        if (!Enum.IsDefined(Optimizer))
            yield return ("optimizer", $"must be adamw, adam or sgd, got {Optimizer}.");
        if (Betas is null || Betas.Length != 2 || Betas.Any(b => !(b >= 0 && b < 1)))
            yield return ("betas", $"must be two numbers in [0, 1), got [{string.Join(", ", Betas ?? [])}].");
        if (!(Eps > 0) || double.IsInfinity(Eps))
            yield return ("eps", $"must be a finite number > 0, got {Eps}.");
        if (!(Momentum >= 0 && Momentum < 1))
            yield return ("momentum", $"must be in [0, 1), got {Momentum}.");
        if (Optimizer == OptimizerKind.Sgd && Nesterov && Momentum == 0)
            yield return ("nesterov", "needs momentum > 0 (set nesterov: false or a momentum).");
        if (!Enum.IsDefined(Schedule))
            yield return ("schedule", $"must be constant, warmup_cosine or poly, got {Schedule}.");
        if (WarmupIterations < 0 || (Iterations >= 1 && WarmupIterations >= Iterations))
            yield return ("warmup_iterations", $"must be in [0, iterations) = [0, {Iterations}), got {WarmupIterations}.");
        if (!(MinLr >= 0) || MinLr > LearningRate)
            yield return ("min_lr", $"must be in [0, learning_rate] = [0, {LearningRate}], got {MinLr}.");
        if (!(PolyPower > 0) || double.IsInfinity(PolyPower))
            yield return ("poly_power", $"must be a finite number > 0, got {PolyPower}.");
        if (!(GradClipNorm >= 0) || double.IsInfinity(GradClipNorm))
            yield return ("grad_clip_norm", $"must be 0 (off) or a finite number > 0, got {GradClipNorm}.");
        if (AccumulationSteps < 1)
            yield return ("accumulation_steps", $"must be at least 1, got {AccumulationSteps}.");
        if (TrainBestMetric.Problem(BestMetric) is { } metricProblem)
            yield return ("best_metric", metricProblem);
        if (!(ForegroundRatio >= 0 && ForegroundRatio <= 1))
            yield return ("foreground_ratio", $"must be between 0 and 1, got {ForegroundRatio}.");
        if (ValidateEvery < 0)
            yield return ("validate_every", $"must be 0 (never) or positive, got {ValidateEvery}.");
        if (LogEvery < 1)
            yield return ("log_every", $"must be at least 1, got {LogEvery}.");
        if (CheckpointEvery < 0)
            yield return ("checkpoint_every", $"must be 0 (only at the end) or positive, got {CheckpointEvery}.");
        foreach (var problem in SlidingWindowOptions.OverlapAndBatchProblems(Overlap, SwBatchSize))
            yield return problem;
        if (!(LambdaDice >= 0) || double.IsInfinity(LambdaDice))
            yield return ("lambda_dice", $"must be a finite number ≥ 0, got {LambdaDice}.");
        if (!(LambdaCe >= 0) || double.IsInfinity(LambdaCe))
            yield return ("lambda_ce", $"must be a finite number ≥ 0, got {LambdaCe}.");
        if (LambdaDice == 0 && LambdaCe == 0)
            yield return ("lambda_dice", "lambda_dice and lambda_ce cannot both be 0 (nothing would be trained).");
        if (!(SmoothNr >= 0) || double.IsInfinity(SmoothNr))
            yield return ("smooth_nr", $"must be a finite number ≥ 0, got {SmoothNr}.");
        if (!(SmoothDr >= 0) || double.IsInfinity(SmoothDr))
            yield return ("smooth_dr", $"must be a finite number ≥ 0, got {SmoothDr}.");
        if (Cache is { } cache && !Enum.IsDefined(cache))
            yield return ("cache", $"must be memory, none or disk, got {cache}.");
        if (Cache == CaseCacheMode.Memory && !CacheCases)
            yield return ("cache", "cache: memory contradicts cache_cases: false; set only cache.");
        if (!Enum.IsDefined(CacheImageDtype))
            yield return ("cache_image_dtype", $"must be auto, float32, float16 or int16, got {CacheImageDtype}.");
        if (Prefetch < 0 || Prefetch > MaxPrefetch)
            yield return ("prefetch", $"must be in [0, {MaxPrefetch}], got {Prefetch}.");
    }
}
