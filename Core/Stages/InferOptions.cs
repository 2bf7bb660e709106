using System.ComponentModel;
using Pipeline.Core.Inference;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>infer</c> stage: which model (a training stage's checkpoint or a file), which images (a split of
/// a manifest dataset, seen through its <c>preprocess</c> list, or a folder of NIfTI files with an optional preprocess
/// file), and the sliding-window settings. Window defaults follow the <c>validate</c> stage.
/// </summary>
public sealed class InferOptions : IValidatableOptions
{
    /// <summary>The training stage whose checkpoint predicts.</summary>
    [StageReference]
    [Description("Training stage whose checkpoint predicts (or set checkpoint_file).")]
    public string? Model { get; set; }

    /// <summary>Which of that stage's checkpoints.</summary>
    [Description("best or latest.")]
    public CheckpointChoice Checkpoint { get; set; } = CheckpointChoice.Best;

    /// <summary>A pipeline checkpoint file to predict with instead of a stage's.</summary>
    [Description("A pipeline .ckpt file to predict with instead of a stage's checkpoint (path absolute or relative to the working folder).")]
    public string? CheckpointFile { get; set; }

    /// <summary>The manifest dataset whose cases are predicted (through its preprocess list).</summary>
    [DatasetReference]
    [Description("Manifest dataset whose cases are predicted, through its preprocess list (or set input_folder).")]
    public string? Dataset { get; set; }

    /// <summary>The split of <see cref="Dataset"/> to predict.</summary>
    [Description("Split of the dataset to predict (e.g. validation, test).")]
    public string Split { get; set; } = "validation";

    /// <summary>A folder of <c>.nii</c>/<c>.nii.gz</c> images to predict instead of a dataset (one case per file).</summary>
    [Description("Folder of .nii/.nii.gz images to predict instead of a dataset (absolute or relative to the working folder); each file is a case named after it.")]
    public string? InputFolder { get; set; }

    /// <summary>For <see cref="InputFolder"/>: a YAML file holding the transform list applied before prediction.</summary>
    [Description("With input_folder: YAML file holding the preprocess transform list (as a dataset's preprocess), e.g. orientation and spacing.")]
    public string? PreprocessFile { get; set; }

    /// <summary>Sliding-window size [d, h, w]; multiples of the network's spatial divisor.</summary>
    [Description("Sliding-window size [d, h, w]; multiples of the network's spatial divisor.")]
    public int[] RoiSize { get; set; } = [32, 32, 32];

    /// <summary>Fraction of a window shared with its neighbour, in [0, 1).</summary>
    [Description("Sliding-window overlap in [0, 1).")]
    public double Overlap { get; set; } = 0.5;

    /// <summary>Windows per network call.</summary>
    [Description("Windows per network call.")]
    public int SwBatchSize { get; set; } = 4;

    /// <summary>How overlapping windows are blended.</summary>
    [Description("Blending of overlapping windows: gaussian (default) or constant.")]
    public BlendMode Blend { get; set; } = BlendMode.Gaussian;

    /// <summary>Spatial axes for flip test-time augmentation.</summary>
    [Description("Spatial axes (0, 1, 2) for flip test-time augmentation; empty for none.")]
    public int[] MirrorAxes { get; set; } = [];

    /// <summary>Whether class probabilities are written beside the labels.</summary>
    [Description("Also write float32 class probabilities (4-D NIfTI) to probabilities/.")]
    public bool WriteProbabilities { get; set; }

    /// <summary>Labels whose prediction keeps only its largest connected component (nnU-Net's post-processing).</summary>
    [Description("Labels whose prediction keeps only its largest connected component (e.g. [1]); empty for none.")]
    public long[] KeepLargestComponent { get; set; } = [];

    /// <summary>Neighbourhood of <see cref="KeepLargestComponent"/>.</summary>
    [Description("Connectivity of keep_largest_component: 6, 18 or 26.")]
    public int ComponentConnectivity { get; set; } = LargestComponentFilter.FullConnectivity;

    /// <summary>The prediction settings these options describe, for a network with <paramref name="classes"/> outputs.</summary>
    public PredictionOptions ToPredictionOptions(int classes) => new()
    {
        RoiSize = RoiSize,
        Overlap = Overlap,
        WindowBatchSize = SwBatchSize,
        Blend = Blend,
        MirrorAxes = MirrorAxes,
        LabelType = CasePredictor.LabelTypeFor(classes),
        ProbabilityType = WriteProbabilities ? TorchSharp.torch.ScalarType.Float32 : null,
        LargestComponent = LargestComponentFilter.FromOptions(KeepLargestComponent, ComponentConnectivity),
    };

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Model) == string.IsNullOrWhiteSpace(CheckpointFile))
            yield return ("model", "set exactly one of model (a training stage) and checkpoint_file.");
        if (!string.IsNullOrWhiteSpace(CheckpointFile) && !File.Exists(CheckpointFile))
            yield return ("checkpoint_file", $"file '{Path.GetFullPath(CheckpointFile)}' does not exist.");
        if (!Enum.IsDefined(Checkpoint))
            yield return ("checkpoint", $"must be best or latest, got {Checkpoint}.");
        if (string.IsNullOrWhiteSpace(Dataset) == string.IsNullOrWhiteSpace(InputFolder))
            yield return ("dataset", "set exactly one of dataset (a manifest dataset) and input_folder.");
        if (!string.IsNullOrWhiteSpace(Dataset) && string.IsNullOrWhiteSpace(Split))
            yield return ("split", "must name a split of the dataset.");
        if (!string.IsNullOrWhiteSpace(InputFolder) && !Directory.Exists(InputFolder))
            yield return ("input_folder", $"folder '{Path.GetFullPath(InputFolder)}' does not exist.");
        if (!string.IsNullOrWhiteSpace(PreprocessFile))
        {
            if (string.IsNullOrWhiteSpace(InputFolder))
                yield return ("preprocess_file", "applies to input_folder only; a dataset's cases go through its own preprocess list.");
            else if (!File.Exists(PreprocessFile))
                yield return ("preprocess_file", $"file '{Path.GetFullPath(PreprocessFile)}' does not exist.");
        }
        foreach (var problem in StageOptionChecks.SizeProblems("roi_size", RoiSize))
            yield return problem;
        // The post-processing options are checked on their own: the prediction settings only hold them when labels are listed.
        foreach (var problem in ToPredictionOptions(classes: 2).Validate()
                     .Where(p => p.Key is not ("roi_size" or "keep_largest_component" or "component_connectivity")))
            yield return problem;
        foreach (var problem in LargestComponentFilter.OptionProblems(KeepLargestComponent, ComponentConnectivity))
            yield return problem;
    }
}
