using System.ComponentModel;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Datasets.Files;

/// <summary>
/// Options shared by every dataset read from a published folder layout: where it is, how it is split, how strictly
/// it is checked. Each layout plugin derives its own options from this class.
/// </summary>
public abstract class FileDatasetOptions : IValidatableOptions
{
    /// <summary>The dataset's root folder, exactly as published (relative paths are resolved from the working folder).</summary>
    [Description("The dataset's root folder, as published (e.g. /data/Task09_Spleen).")]
    public string Root { get; set; } = "";

    /// <summary>
    /// Number of cross-validation folds over the labelled cases; 0 uses the dataset's own lists (and
    /// <see cref="ValidationLast"/>). The folds are written to <c>splits.json</c> in the run folder.
    /// </summary>
    [Description("k-fold cross-validation over the labelled cases (0 = the dataset's own lists); written to splits.json in the run folder.")]
    public int Folds { get; set; }

    /// <summary>The fold whose share is the <c>validation</c> split (0-based).</summary>
    [Description("Which fold is the validation split (0-based).")]
    public int Fold { get; set; }

    /// <summary>Seed of the fold assignment.</summary>
    [Description("Seed of the fold assignment (same ids + seed = same folds).")]
    public int SplitSeed { get; set; } = 12345;

    /// <summary>A <c>splits.json</c> / nnU-Net <c>splits_final.json</c> to take the folds from instead of generating them.</summary>
    [Description("Folds from a splits.json / splits_final.json file instead of generating them.")]
    public string? SplitsFile { get; set; }

    /// <summary>
    /// Without folds and without a validation list in the dataset, the last N labelled cases (sorted by id) form the
    /// <c>validation</c> split (the AMOS authors' advice: the last 20).
    /// </summary>
    [Description("Without folds or a published validation list: the last N labelled cases (by id) validate.")]
    public int ValidationLast { get; set; }

    /// <summary>How much is checked when the dataset opens.</summary>
    [Description("Checks when opening: files, headers (shape/affine agreement; default) or full (also label values and empty foreground).")]
    public DatasetVerification Verification { get; set; } = DatasetVerification.Headers;

    /// <summary>Whether an invalid case stops the run or is skipped with a warning.</summary>
    [Description("fail (default): stop with every invalid case listed; skip: leave them out with a warning.")]
    public InvalidCasePolicy OnInvalidCase { get; set; } = InvalidCasePolicy.Fail;

    /// <summary>Largest allowed element-wise difference between an image's and its label's affine (mm).</summary>
    [Description("Largest allowed difference between image and label affines, in mm.")]
    public double AffineTolerance { get; set; } = 1e-3;

    /// <summary>Give a label with the image's shape but a drifted affine the image's affine (with a warning).</summary>
    [Description("Accept labels whose affine drifted from the image's (same shape), using the image's.")]
    public bool TrustImageGeometry { get; set; }

    /// <summary>Label name merges, e.g. <c>{kidney_tumor: kidney}</c> (names in the organ vocabulary).</summary>
    [Description("Merge label names into others, e.g. {kidney_tumor: kidney}.")]
    public Dictionary<string, string> Merge { get; set; } = new();

    /// <summary>The root as an absolute path.</summary>
    public string RootPath => Path.GetFullPath(Root);

    /// <summary>The checking settings for <see cref="FileSegmentationDataset"/>.</summary>
    public FileDatasetSettings Settings => new()
    {
        Verification = Verification,
        OnInvalidCase = OnInvalidCase,
        AffineTolerance = AffineTolerance,
        TrustImageGeometry = TrustImageGeometry,
    };

    /// <inheritdoc />
    public virtual IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Root))
            yield return ("root", "is required: the dataset's root folder.");
        else if (!Directory.Exists(Root))
            yield return ("root", $"folder '{RootPath}' does not exist.");
        if (Folds is < 0 or 1)
            yield return ("folds", $"must be 0 (use the dataset's lists) or at least 2, got {Folds}.");
        if (Folds >= 2 && (Fold < 0 || Fold >= Folds))
            yield return ("fold", $"must be in 0..{Folds - 1} for {Folds} folds, got {Fold}.");
        if (SplitsFile is not null && !File.Exists(SplitsFile))
            yield return ("splits_file", $"file '{Path.GetFullPath(SplitsFile)}' does not exist.");
        if (ValidationLast < 0)
            yield return ("validation_last", $"must be 0 or more, got {ValidationLast}.");
        if (AffineTolerance is < 0 or double.NaN)
            yield return ("affine_tolerance", $"must be 0 or more, got {AffineTolerance}.");
    }
}
