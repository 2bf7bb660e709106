using System.ComponentModel;

namespace Pipeline.Plugins.Datasets.TciaPancreas;

/// <summary>Options of the <c>tcia-pancreas</c> dataset (NIH Pancreas-CT converted to NIfTI).</summary>
public sealed class TciaPancreasDatasetOptions : Files.FileDatasetOptions
{
    /// <summary>Regular expression matching image file names; group 1 is the case number.</summary>
    [Description("Regex for image file names; group 1 = case number (default PANCREAS_0001.nii.gz).")]
    public string ImagePattern { get; set; } = @"^PANCREAS_(\d+)\.nii(\.gz)?$";

    /// <summary>Regular expression matching label file names; group 1 is the case number.</summary>
    [Description("Regex for label file names; group 1 = case number (default label0001.nii.gz, the NIH release).")]
    public string LabelPattern { get; set; } = @"^label(\d+)\.nii(\.gz)?$";

    /// <inheritdoc />
    public override IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in base.Validate()) yield return problem;
        foreach (var (key, pattern) in new[] { ("image_pattern", ImagePattern), ("label_pattern", LabelPattern) })
        {
            string? error = Files.PatternCheck.Problem(pattern);
            if (error is not null) yield return (key, error);
        }
    }
}
