using System.ComponentModel;

namespace Pipeline.Plugins.Datasets.NiftiFolder;

/// <summary>Options of the <c>nifti-folder</c> dataset: image/label pairs matched by file-name pattern.</summary>
public sealed class NiftiFolderDatasetOptions : Files.FileDatasetOptions
{
    /// <summary>Folder of the images, relative to the root.</summary>
    [Description("Image folder, relative to root.")]
    public string Images { get; set; } = "images";

    /// <summary>Folder of the label maps, relative to the root.</summary>
    [Description("Label folder, relative to root.")]
    public string Labels { get; set; } = "labels";

    /// <summary>Regular expression for image file names; group 1 is the case id.</summary>
    [Description("Regex for image file names; group 1 = case id.")]
    public string ImagePattern { get; set; } = @"^(.+?)(_0000)?\.nii(\.gz)?$";

    /// <summary>Regular expression for label file names; group 1 is the case id.</summary>
    [Description("Regex for label file names; group 1 = case id.")]
    public string LabelPattern { get; set; } = @"^(.+?)\.nii(\.gz)?$";

    /// <summary>Stored label value → name (names in the organ vocabulary where they are organs).</summary>
    [Description("Label value -> name, e.g. {0: background, 1: liver}.")]
    public Dictionary<string, string> ClassNames { get; set; } = new() { ["0"] = "background", ["1"] = "foreground" };

    /// <inheritdoc />
    public override IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in base.Validate()) yield return problem;
        foreach (var (key, pattern) in new[] { ("image_pattern", ImagePattern), ("label_pattern", LabelPattern) })
        {
            string? error = Files.PatternCheck.Problem(pattern);
            if (error is not null) yield return (key, error);
        }
        foreach (var key in ClassNames.Keys)
            if (!int.TryParse(key, out var value) || value < 0)
                yield return ($"class_names.{key}", "keys must be non-negative integer label values.");
        if (!ClassNames.ContainsKey("0"))
            yield return ("class_names", "must name label 0 (background).");
    }
}
