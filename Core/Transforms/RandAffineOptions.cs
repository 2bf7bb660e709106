using System.ComponentModel;
using Pipeline.Core.Imaging.Geometry;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_affine</c> (MONAI's <c>RandAffined</c>: rotation and scaling, no shear or translation).</summary>
public sealed class RandAffineOptions : IValidatableOptions
{
    /// <summary>Probability of transforming a sample (default 0.1).</summary>
    [Description("Probability of transforming a sample (default 0.1).")]
    public double Prob { get; set; } = 0.1;

    /// <summary>
    /// Rotation angle ranges in radians, one for all axes or one per axis: the angle about axis a is uniform in
    /// [−range_a, range_a) (default [0]: no rotation).
    /// </summary>
    [Description("Rotation ranges in radians, one value or one per axis (i, j, k); angles uniform in [-r, r).")]
    public double[] RotateRange { get; set; } = [0];

    /// <summary>
    /// Scale ranges, one for all axes or one per axis: the sampling grid along axis a is scaled by 1 + s, s uniform in
    /// [−range_a, range_a) (default [0]: no scaling). A factor above 1 samples a larger region, so content shrinks.
    /// </summary>
    [Description("Scale ranges, one value or one per axis; the grid scales by 1 + s, s uniform in [-r, r).")]
    public double[] ScaleRange { get; set; } = [0];

    /// <summary>Interpolation of image volumes (default trilinear).</summary>
    [Description("Interpolation of image volumes: trilinear (default) or nearest.")]
    public Interpolation ImageInterpolation { get; set; } = Interpolation.Trilinear;

    /// <summary>Interpolation of label maps (default nearest).</summary>
    [Description("Interpolation of label maps: nearest (default) or trilinear.")]
    public Interpolation LabelInterpolation { get; set; } = Interpolation.Nearest;

    /// <summary>What points outside the volume read (default reflection).</summary>
    [Description("Padding outside the volume: reflection (default), border or zeros.")]
    public PaddingMode Padding { get; set; } = PaddingMode.Reflection;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in TransformOptionChecks.Probability("prob", Prob)
                     .Concat(TransformOptionChecks.PerAxisRange("rotate_range", RotateRange))
                     .Concat(TransformOptionChecks.PerAxisRange("scale_range", ScaleRange)))
            yield return problem;
        if (ScaleRange is { Length: 1 or 3 } && ScaleRange.Any(range => range >= 1))
            yield return ("scale_range", $"must stay below 1 so the scale 1 + s stays positive, got [{string.Join(", ", ScaleRange)}]");
    }
}
