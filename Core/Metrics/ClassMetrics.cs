namespace Pipeline.Core.Metrics;

/// <summary>
/// The metrics of one class in one case. NaN marks an undefined value (see <see cref="EmptyReferencePolicy"/> and
/// docs/metrics.md); reports write it as null.
/// </summary>
/// <param name="Label">The class's label value.</param>
/// <param name="Dice">Volumetric Dice, 2·|P∩R| / (|P| + |R|).</param>
/// <param name="Hd95Mm">95th-percentile symmetric Hausdorff distance between the surfaces, in mm; NaN when either
/// mask is empty.</param>
/// <param name="Nsd">Normalised surface Dice at <paramref name="NsdToleranceMm"/>.</param>
/// <param name="NsdToleranceMm">The tolerance τ used for <paramref name="Nsd"/>, in mm.</param>
/// <param name="ReferenceVoxels">Voxels of the class in the reference.</param>
/// <param name="PredictionVoxels">Voxels of the class in the prediction.</param>
/// <param name="IntersectionVoxels">Voxels of the class in both.</param>
/// <param name="ReferenceSurfaceVoxels">Surface voxels of the reference mask.</param>
/// <param name="PredictionSurfaceVoxels">Surface voxels of the prediction mask.</param>
public sealed record ClassMetrics(
    long Label,
    double Dice,
    double Hd95Mm,
    double Nsd,
    double NsdToleranceMm,
    long ReferenceVoxels,
    long PredictionVoxels,
    long IntersectionVoxels,
    long ReferenceSurfaceVoxels,
    long PredictionSurfaceVoxels)
{
    /// <summary>The class is absent from the reference.</summary>
    public bool ReferenceEmpty => ReferenceVoxels == 0;

    /// <summary>The class is absent from the prediction.</summary>
    public bool PredictionEmpty => PredictionVoxels == 0;
}
