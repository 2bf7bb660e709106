using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>crop_foreground</c> (MONAI's <c>CropForegroundd</c> with <c>allow_smaller</c>).</summary>
public sealed class CropForegroundOptions : IValidatableOptions
{
    /// <summary>The volume whose foreground decides the box (default <c>image</c>).</summary>
    [Description("Volume whose foreground decides the box (default image).")]
    public string SourceKey { get; set; } = "image";

    /// <summary>Voxels above this value in any channel are foreground (default 0).</summary>
    [Description("Voxels above this value (any channel) are foreground (default 0).")]
    public double Threshold { get; set; }

    /// <summary>Voxels added around the foreground's bounding box on every side, within the volume (default 0).</summary>
    [Description("Voxels added on every side of the foreground box, within the volume (default 0).")]
    public int Margin { get; set; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(SourceKey)) yield return ("source_key", "must name a volume");
        foreach (var problem in TransformOptionChecks.Finite("threshold", Threshold)) yield return problem;
        if (Margin < 0) yield return ("margin", $"must be >= 0, got {Margin}");
    }
}
