using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Imaging.Geometry;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>spacing</c> (MONAI's <c>Spacingd</c>).</summary>
public sealed class SpacingOptions : IValidatableOptions
{
    /// <summary>Target voxel size along i, j, k in millimetres (required), e.g. [1.5, 1.5, 2.0].</summary>
    [Required]
    [Description("Target voxel size (i, j, k) in mm, e.g. [1.5, 1.5, 2.0].")]
    public double[] Pixdim { get; set; } = [];

    /// <summary>Interpolation of image volumes (default trilinear).</summary>
    [Description("Interpolation of image volumes: trilinear (default) or nearest.")]
    public Interpolation ImageInterpolation { get; set; } = Interpolation.Trilinear;

    /// <summary>Interpolation of label maps (default nearest, which keeps the label set).</summary>
    [Description("Interpolation of label maps: nearest (default) or trilinear.")]
    public Interpolation LabelInterpolation { get; set; } = Interpolation.Nearest;

    /// <summary>What points beyond the outer voxel centres read (default border, as MONAI).</summary>
    [Description("Padding outside the source: border (default), zeros or reflection.")]
    public PaddingMode Padding { get; set; } = PaddingMode.Border;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Pixdim is null || Pixdim.Length != 3 || Pixdim.Any(size => !(double.IsFinite(size) && size > 0)))
            yield return ("pixdim", $"must be three voxel sizes in mm, each > 0, got [{string.Join(", ", Pixdim ?? [])}]");
    }
}
