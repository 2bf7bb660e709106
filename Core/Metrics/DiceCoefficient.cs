namespace Pipeline.Core.Metrics;

/// <summary>Volumetric Dice, 2·|P∩R| / (|P| + |R|), from voxel counts.</summary>
public static class DiceCoefficient
{
    /// <summary>
    /// Dice of one class from its voxel counts; the <paramref name="policy"/> decides the value when a mask is empty.
    /// </summary>
    /// <param name="intersectionVoxels">Voxels labelled with the class in both prediction and reference.</param>
    /// <param name="predictionVoxels">Voxels labelled with the class in the prediction.</param>
    /// <param name="referenceVoxels">Voxels labelled with the class in the reference.</param>
    /// <param name="policy">The rule for empty masks.</param>
    public static double FromCounts(long intersectionVoxels, long predictionVoxels, long referenceVoxels, EmptyReferencePolicy policy)
    {
        if (intersectionVoxels < 0 || predictionVoxels < 0 || referenceVoxels < 0
            || intersectionVoxels > Math.Min(predictionVoxels, referenceVoxels))
            throw new ArgumentException(
                $"Dice: inconsistent counts (intersection {intersectionVoxels}, prediction {predictionVoxels}, reference {referenceVoxels}).");
        return policy.OverlapWhenEmpty(referenceVoxels == 0, predictionVoxels == 0)
               ?? 2.0 * intersectionVoxels / (predictionVoxels + referenceVoxels);
    }
}
