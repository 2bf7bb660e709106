using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// Checks, when a case is loaded, that its image and label map lie on the same voxel grid: equal spatial shapes and
/// affines equal element by element within a tolerance in millimetres (NIfTI stores affines in float32, so two files
/// written from the same grid can differ by rounding). A mismatch is either an error or, by policy, repaired by
/// resampling the label map onto the image grid with nearest-neighbour interpolation.
/// </summary>
public static class VolumePairCheck
{
    /// <summary>
    /// The default affine tolerance, 1e-3 mm per element (MONAI's <c>AFFINE_TOL</c>): far above float32 rounding of
    /// header values, far below any voxel size.
    /// </summary>
    public const double DefaultAffineTolerance = 1e-3;

    /// <summary>Checks <paramref name="label"/> against <paramref name="image"/>; see <see cref="PairMismatchPolicy"/>.</summary>
    /// <param name="caseId">The case, named in errors and log lines.</param>
    /// <param name="image">The image volume.</param>
    /// <param name="label">The label map (not disposed here).</param>
    /// <param name="policy">Error, or resample the label map.</param>
    /// <param name="affineTolerance">Largest allowed element-wise affine difference in millimetres, ≥ 0.</param>
    /// <param name="logger">Receives a warning for each repair; may be null.</param>
    /// <exception cref="VolumePairMismatchException">The grids differ and the policy is <see cref="PairMismatchPolicy.Error"/>.</exception>
    public static PairCheckResult Check(
        string caseId, Volume image, Volume label, PairMismatchPolicy policy,
        double affineTolerance = DefaultAffineTolerance, ILogger? logger = null)
    {
        if (!(affineTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(affineTolerance), affineTolerance, "the affine tolerance must be >= 0");
        var imageGrid = VoxelGrid.Of(image);
        var labelGrid = VoxelGrid.Of(label);
        if (imageGrid.Matches(labelGrid, affineTolerance))
            return new PairCheckResult(label, null);

        var difference = Describe(caseId, imageGrid, labelGrid, affineTolerance);
        if (policy == PairMismatchPolicy.Error)
            throw new VolumePairMismatchException(caseId, imageGrid, labelGrid,
                difference + ". Fix the files, or set the pair policy to resample the label onto the image grid.");

        var repaired = Resampler.ToGrid(label, imageGrid, Interpolation.Nearest, PaddingMode.Zeros);
        var repair = "label resampled onto the image grid (nearest neighbour, 0 outside the label's field of view)";
        logger?.LogWarning("{Difference}; {Repair}", difference, repair);
        return new PairCheckResult(repaired, repair);
    }

    private static string Describe(string caseId, VoxelGrid image, VoxelGrid label, double tolerance)
    {
        var shapes = image.Shape.SequenceEqual(label.Shape)
            ? $"both of shape [{string.Join(", ", image.Shape)}]"
            : $"image shape [{string.Join(", ", image.Shape)}] vs label shape [{string.Join(", ", label.Shape)}]";
        var largest = image.Affine.MaxAbsDifference(label.Affine).ToString("G4", CultureInfo.InvariantCulture);
        return $"case '{caseId}': image and label are not on the same grid: {shapes}; image affine {image.Affine} vs " +
               $"label affine {label.Affine} (largest element difference {largest} mm, tolerance " +
               $"{tolerance.ToString("G4", CultureInfo.InvariantCulture)} mm)";
    }
}
