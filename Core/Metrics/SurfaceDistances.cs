namespace Pipeline.Core.Metrics;

/// <summary>
/// Distances in physical units (mm) between two voxel surfaces on the same grid: from every surface voxel of the
/// prediction to the nearest surface voxel of the reference, and back. Computed with
/// <see cref="EuclideanDistanceTransform"/> of each surface, read at the other's voxels, as MONAI's
/// <c>get_surface_distance</c> does with SciPy's <c>distance_transform_edt(sampling=spacing)</c>. Distances to an empty
/// surface are +∞ (as in MONAI and DeepMind's library); the metrics in this folder treat empty masks before that matters.
/// </summary>
public sealed class SurfaceDistances
{
    private readonly double[] _predictionToReference;
    private readonly double[] _referenceToPrediction;

    private SurfaceDistances(double[] predictionToReference, double[] referenceToPrediction)
    {
        _predictionToReference = predictionToReference;
        _referenceToPrediction = referenceToPrediction;
    }

    /// <summary>For each prediction surface voxel, the distance to the nearest reference surface voxel, ascending.</summary>
    public IReadOnlyList<double> PredictionToReference => _predictionToReference;

    /// <summary>For each reference surface voxel, the distance to the nearest prediction surface voxel, ascending.</summary>
    public IReadOnlyList<double> ReferenceToPrediction => _referenceToPrediction;

    /// <summary>Measures the distances between two surfaces given as masks of <paramref name="shape"/>.</summary>
    /// <param name="predictionSurface">Prediction surface voxels (see <see cref="SurfaceVoxels"/>).</param>
    /// <param name="referenceSurface">Reference surface voxels, same shape.</param>
    /// <param name="shape">Axis lengths of the grid.</param>
    /// <param name="spacing">Physical step per axis.</param>
    public static SurfaceDistances Between(bool[] predictionSurface, bool[] referenceSurface, IReadOnlyList<int> shape, IReadOnlyList<double> spacing)
    {
        if (predictionSurface.Length != referenceSurface.Length)
            throw new ArgumentException(
                $"Surface distances: the prediction surface has {predictionSurface.Length} voxels, the reference {referenceSurface.Length}.");
        return new SurfaceDistances(
            DistancesAt(predictionSurface, EuclideanDistanceTransform.Squared(referenceSurface, shape, spacing)),
            DistancesAt(referenceSurface, EuclideanDistanceTransform.Squared(predictionSurface, shape, spacing)));
    }

    /// <summary>
    /// The Hausdorff distance at <paramref name="percent"/>: the larger of the two directed percentiles (MONAI's
    /// non-directed <c>compute_hausdorff_distance</c>, DeepMind's <c>compute_robust_hausdorff</c> without surfel areas).
    /// NaN when both surfaces are empty, +∞ when exactly one is.
    /// </summary>
    public double Hausdorff(double percent)
    {
        bool predictionEmpty = _predictionToReference.Length == 0, referenceEmpty = _referenceToPrediction.Length == 0;
        if (predictionEmpty && referenceEmpty) return double.NaN;
        if (predictionEmpty || referenceEmpty) return double.PositiveInfinity;
        return Math.Max(Percentile.OfSorted(_predictionToReference, percent), Percentile.OfSorted(_referenceToPrediction, percent));
    }

    /// <summary>
    /// Normalised surface Dice at <paramref name="toleranceMm"/>: the share of all surface voxels of both masks that lie
    /// within the tolerance (distance ≤ τ, inclusive as in MONAI and DeepMind) of the other surface. NaN when both
    /// surfaces are empty.
    /// </summary>
    public double SurfaceDice(double toleranceMm)
    {
        if (!(toleranceMm >= 0) || double.IsPositiveInfinity(toleranceMm))
            throw new ArgumentOutOfRangeException(nameof(toleranceMm), toleranceMm, "The surface Dice tolerance must be finite and ≥ 0 mm.");
        long total = _predictionToReference.Length + _referenceToPrediction.Length;
        if (total == 0) return double.NaN;
        return (double)(CountWithin(_predictionToReference, toleranceMm) + CountWithin(_referenceToPrediction, toleranceMm)) / total;
    }

    private static long CountWithin(double[] span, double tolerance)
    {
        // Ascending, so the count is the first index past the tolerance.
        int low = 0, high = span.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (span[middle] <= tolerance) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    private static double[] DistancesAt(bool[] surface, double[] squaredDistances)
    {
        var distances = new List<double>();
        for (int index = 0; index < surface.Length; index++)
            if (surface[index]) distances.Add(Math.Sqrt(squaredDistances[index]));
        var sorted = distances.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
