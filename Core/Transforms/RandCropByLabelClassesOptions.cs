using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_crop_by_label_classes</c> (MONAI's <c>RandCropByLabelClassesd</c>).</summary>
public sealed class RandCropByLabelClassesOptions : IValidatableOptions
{
    /// <summary>
    /// The label map: one channel of class indices, or one channel per class (one-hot, channel c &gt; 0 marks class c)
    /// (default <c>label</c>).
    /// </summary>
    [Description("Label map: class indices (1 channel) or one channel per class (default label).")]
    public string LabelKey { get; set; } = "label";

    /// <summary>Crop size (i, j, k) in voxels (required).</summary>
    [Required]
    [Description("Crop size (i, j, k) in voxels.")]
    public int[] SpatialSize { get; set; } = [];

    /// <summary>
    /// Relative weight of each class (index 0 is class 0) as crop centre; null (default) weighs all classes equally.
    /// Classes absent from a sample get weight 0 for it.
    /// </summary>
    [Description("Weight per class (class 0 first) of being the crop centre; default equal.")]
    public double[]? Ratios { get; set; }

    /// <summary>Number of classes; null (default) takes the channel count of one-hot labels or max label + 1.</summary>
    [Description("Number of classes; default: one-hot channel count or max label + 1.")]
    public int? NumClasses { get; set; }

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
                     .Concat(TransformOptionChecks.Finite("image_threshold", ImageThreshold)))
            yield return problem;
        if (Ratios is not null && (Ratios.Length == 0 || Ratios.Any(ratio => !(double.IsFinite(ratio) && ratio >= 0)) || Ratios.Sum() <= 0))
            yield return ("ratios", $"must be one weight >= 0 per class, not all 0, got [{string.Join(", ", Ratios)}]");
        if (NumClasses is < 1) yield return ("num_classes", $"must be at least 1, got {NumClasses}");
        if (Ratios is not null && NumClasses is { } classes && Ratios.Length != classes)
            yield return ("ratios", $"has {Ratios.Length} weights but num_classes is {classes}");
        if (NumSamples < 1) yield return ("num_samples", $"must be at least 1, got {NumSamples}");
    }
}
