using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_crop_pos_neg</c> (MONAI's <c>RandCropByPosNegLabeld</c>).</summary>
public sealed class RandCropByPosNegLabelOptions : IValidatableOptions
{
    /// <summary>The label map that tells foreground (any channel &gt; 0) from background (default <c>label</c>).</summary>
    [Description("Label map whose voxels > 0 (any channel) are foreground (default label).")]
    public string LabelKey { get; set; } = "label";

    /// <summary>Crop size (i, j, k) in voxels (required).</summary>
    [Required]
    [Description("Crop size (i, j, k) in voxels.")]
    public int[] SpatialSize { get; set; } = [];

    /// <summary>Weight of foreground-centred crops (default 1); a crop is foreground-centred with probability pos / (pos + neg).</summary>
    [Description("Weight of foreground-centred crops: probability pos / (pos + neg) (default 1).")]
    public double Pos { get; set; } = 1;

    /// <summary>Weight of background-centred crops (default 1).</summary>
    [Description("Weight of background-centred crops (default 1).")]
    public double Neg { get; set; } = 1;

    /// <summary>Crops taken from each sample (default 1); each becomes a sample of its own.</summary>
    [Description("Crops per sample; each becomes a sample of its own (default 1).")]
    public int NumSamples { get; set; } = 1;

    /// <summary>When set, only voxels where this image exceeds <see cref="ImageThreshold"/> can be crop centres (default none).</summary>
    [Description("Optional image: only voxels where it exceeds image_threshold can be centres.")]
    public string? ImageKey { get; set; }

    /// <summary>Threshold on the image named by <see cref="ImageKey"/> (default 0).</summary>
    [Description("Threshold on image_key's values (default 0).")]
    public double ImageThreshold { get; set; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelKey)) yield return ("label_key", "must name a volume");
        foreach (var problem in TransformOptionChecks.SpatialSize("spatial_size", SpatialSize)
                     .Concat(TransformOptionChecks.NonNegative("pos", Pos)).Concat(TransformOptionChecks.NonNegative("neg", Neg))
                     .Concat(TransformOptionChecks.Finite("image_threshold", ImageThreshold)))
            yield return problem;
        if (Pos + Neg <= 0) yield return ("pos", "pos and neg cannot both be 0");
        if (NumSamples < 1) yield return ("num_samples", $"must be at least 1, got {NumSamples}");
    }
}
