using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Inference;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>validate</c> stage. Sliding-window defaults follow the official <c>test_seg.py</c>
/// (overlap 0.5, 4 windows per call); the window size defaults to the train stage's default patch size.
/// </summary>
public sealed class ValidateOptions : IValidatableOptions
{
    /// <summary>Name of the manifest dataset to evaluate on.</summary>
    [Required, DatasetReference]
    [Description("Name of the manifest dataset to evaluate on.")]
    public string Dataset { get; set; } = "";

    /// <summary>Split whose cases are scored.</summary>
    [Description("Split whose cases are scored.")]
    public string Split { get; set; } = "validation";

    /// <summary>Name of the training stage whose checkpoint is evaluated.</summary>
    [Required, StageReference]
    [Description("Name of the training stage whose checkpoint is evaluated.")]
    public string Model { get; set; } = "";

    /// <summary>Which of the training stage's checkpoints to load.</summary>
    [Description("Which checkpoint to evaluate: best or latest.")]
    public CheckpointChoice Checkpoint { get; set; } = CheckpointChoice.Best;

    /// <summary>Sliding-window size [d, h, w]; multiples of the network's spatial divisor.</summary>
    [Description("Sliding-window size [d, h, w]; multiples of the network's spatial divisor.")]
    public int[] RoiSize { get; set; } = [32, 32, 32];

    /// <summary>Fraction of a window shared with its neighbour, in [0, 1).</summary>
    [Description("Sliding-window overlap in [0, 1) (test_seg.py default: 0.5).")]
    public double Overlap { get; set; } = 0.5;

    /// <summary>Windows per network call.</summary>
    [Description("Windows per network call (test_seg.py default: 4).")]
    public int SwBatchSize { get; set; } = 4;

    /// <summary>Also score HD95 and normalised surface Dice (mm, spacing-aware) and write metrics.json and the CSVs.</summary>
    [Description("Also compute HD95 and NSD (mm) per case and class; writes metrics.json, metrics_cases.csv, metrics_summary.csv.")]
    public bool SurfaceMetrics { get; set; } = true;

    /// <summary>Tolerance of the normalised surface Dice.</summary>
    [Description("Normalised surface Dice tolerance in mm.")]
    public double NsdToleranceMm { get; set; } = Metrics.MetricOptions.DefaultNsdToleranceMm;

    /// <summary>Labels whose smaller connected components are removed from the argmax before scoring (nnU-Net's post-processing).</summary>
    [Description("Labels whose prediction keeps only its largest connected component before scoring (e.g. [1]); empty for none.")]
    public long[] KeepLargestComponent { get; set; } = [];

    /// <summary>Neighbourhood of <see cref="KeepLargestComponent"/>.</summary>
    [Description("Connectivity of keep_largest_component: 6, 18 or 26.")]
    public int ComponentConnectivity { get; set; } = LargestComponentFilter.FullConnectivity;

    /// <summary>The post-processing the options ask for, or null.</summary>
    public LargestComponentFilter? LargestComponent() => LargestComponentFilter.FromOptions(KeepLargestComponent, ComponentConnectivity);

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Dataset))
            yield return ("dataset", "is required: the name of a dataset declared in the manifest.");
        if (string.IsNullOrWhiteSpace(Split))
            yield return ("split", "must name a split of the dataset.");
        if (string.IsNullOrWhiteSpace(Model))
            yield return ("model", "is required: the name of an earlier training stage.");
        if (!Enum.IsDefined(Checkpoint))
            yield return ("checkpoint", $"must be best or latest, got {Checkpoint}.");
        foreach (var problem in StageOptionChecks.SizeProblems("roi_size", RoiSize))
            yield return problem;
        foreach (var problem in SlidingWindowOptions.OverlapAndBatchProblems(Overlap, SwBatchSize))
            yield return problem;
        if (!(NsdToleranceMm > 0))
            yield return ("nsd_tolerance_mm", $"must be positive, got {NsdToleranceMm}.");
        foreach (var problem in LargestComponentFilter.OptionProblems(KeepLargestComponent, ComponentConnectivity))
            yield return problem;
    }
}
