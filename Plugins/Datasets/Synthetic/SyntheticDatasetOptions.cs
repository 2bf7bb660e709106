using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// Options of the <c>synthetic</c> dataset: procedural 3-D phantoms generated on the fly from a seed.
/// </summary>
public sealed class SyntheticDatasetOptions : IValidatableOptions
{
    /// <summary>Number of training cases (split <c>train</c>).</summary>
    [Description("Number of training cases (split 'train').")]
    public int Cases { get; set; } = 16;

    /// <summary>Number of validation cases (split <c>validation</c>); 0 leaves that split empty.</summary>
    [Description("Number of validation cases (split 'validation').")]
    public int ValidationCases { get; set; } = 4;

    /// <summary>Volume size in voxels along (D, H, W).</summary>
    [Description("Volume size in voxels, [D, H, W].")]
    public int[] Size { get; set; } = [48, 48, 48];

    /// <summary>Number of foreground structure classes, 1..3, taken in the order ellipsoid, tube, shell.</summary>
    [Description("Number of foreground classes (1..3): ellipsoid, tube, shell, in that order.")]
    public int Classes { get; set; } = 3;

    /// <summary>Seed of the generator; the same seed gives byte-identical cases.</summary>
    [Description("Seed; the same seed gives byte-identical cases.")]
    public long Seed { get; set; }

    /// <summary>
    /// Standard deviation of the additive Gaussian noise, in units of the tissue contrast before normalisation
    /// (air 0, body 1, structures about 1.6 to 2.1).
    /// </summary>
    [Description("Gaussian noise std in tissue-contrast units (body intensity = 1) before normalisation.")]
    public double NoiseStd { get; set; } = 0.2;

    /// <summary>Maximum absolute log-gain of the smooth multiplicative bias field (0 = none; 0.3 ≈ ±35 %).</summary>
    [Description("Maximum absolute log-gain of the smooth multiplicative bias field (0 = none).")]
    public double BiasFieldStrength { get; set; } = 0.3;

    /// <summary>
    /// [min, max] voxel spacing in millimetres. Each case draws its in-plane (H, W) spacing and its slice (D)
    /// spacing independently from this range, so cases are anisotropic to different degrees.
    /// </summary>
    [Description("[min, max] voxel spacing in mm; in-plane and slice spacing are drawn independently per case.")]
    public double[] SpacingRange { get; set; } = [0.8, 2.0];

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Cases < 1)
            yield return ("cases", $"must be at least 1, got {Cases}.");
        if (ValidationCases < 0)
            yield return ("validation_cases", $"must be 0 or more, got {ValidationCases}.");
        if (Size is null || Size.Length != 3)
            yield return ("size", "must list exactly 3 sizes [D, H, W].");
        else if (Size.Any(s => s < 8 || s > 512))
            yield return ("size", $"every size must be between 8 and 512 voxels, got [{string.Join(", ", Size)}].");
        if (Classes is < 1 or > 3)
            yield return ("classes", $"must be 1, 2 or 3 (ellipsoid, tube, shell), got {Classes}.");
        if (!(NoiseStd >= 0) || double.IsInfinity(NoiseStd))
            yield return ("noise_std", $"must be a finite number ≥ 0, got {NoiseStd}.");
        if (!(BiasFieldStrength >= 0 && BiasFieldStrength <= 3))
            yield return ("bias_field_strength", $"must be between 0 and 3, got {BiasFieldStrength}.");
        if (SpacingRange is null || SpacingRange.Length != 2)
            yield return ("spacing_range", "must list exactly 2 values [min, max] in millimetres.");
        else if (!(SpacingRange[0] > 0 && SpacingRange[1] >= SpacingRange[0] && !double.IsInfinity(SpacingRange[1])))
            yield return ("spacing_range", $"must satisfy 0 < min ≤ max, got [{string.Join(", ", SpacingRange)}].");
    }
}
