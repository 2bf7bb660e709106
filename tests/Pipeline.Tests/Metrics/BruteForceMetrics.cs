using Pipeline.Core.Metrics;

namespace Pipeline.Tests.Metrics;

/// <summary>
/// The metrics computed the slow, obvious way to check <see cref="SegmentationMetrics"/> against: surfaces by looking at
/// each voxel's six neighbours, distances by comparing every pair of surface voxels, empty rules from the table in
/// docs/metrics.md written out again here.
/// </summary>
internal static class BruteForceMetrics
{
    public static (double Dice, double Hd95, double Nsd) Compute(long[] prediction, long[] reference, int[] shape, double[] spacing,
                                                                 long label, double tolerance, EmptyReferencePolicy policy)
    {
        long p = prediction.LongCount(v => v == label), r = reference.LongCount(v => v == label);
        long both = prediction.Zip(reference).LongCount(pair => pair.First == label && pair.Second == label);
        if (p == 0 || r == 0)
        {
            double overlap = (policy, r == 0, p == 0) switch
            {
                (_, false, true) => 0.0,
                (EmptyReferencePolicy.Score, true, true) => 1.0,
                (EmptyReferencePolicy.Score, true, false) => 0.0,
                (EmptyReferencePolicy.Ignore, true, _) => double.NaN,
                (EmptyReferencePolicy.IgnoreWhenBothEmpty, true, true) => double.NaN,
                (EmptyReferencePolicy.IgnoreWhenBothEmpty, true, false) => 0.0,
                _ => throw new InvalidOperationException(),
            };
            return (overlap, double.NaN, overlap);
        }

        var predictionSurface = Surface(prediction, shape, label);
        var referenceSurface = Surface(reference, shape, label);
        var predictionToReference = predictionSurface.Select(a => referenceSurface.Min(b => Distance(a, b, spacing))).ToArray();
        var referenceToPrediction = referenceSurface.Select(a => predictionSurface.Min(b => Distance(a, b, spacing))).ToArray();
        double hd95 = Math.Max(Percentile.Of(predictionToReference, 95), Percentile.Of(referenceToPrediction, 95));
        double nsd = (double)(predictionToReference.Count(d => d <= tolerance) + referenceToPrediction.Count(d => d <= tolerance))
                     / (predictionToReference.Length + referenceToPrediction.Length);
        return (2.0 * both / (p + r), hd95, nsd);
    }

    public static List<int[]> Surface(long[] map, int[] shape, long label)
    {
        bool Inside(int i, int j, int k) =>
            i >= 0 && j >= 0 && k >= 0 && i < shape[0] && j < shape[1] && k < shape[2] && map[LabelMaps.Index(shape, i, j, k)] == label;
        var surface = new List<int[]>();
        for (int i = 0; i < shape[0]; i++)
        for (int j = 0; j < shape[1]; j++)
        for (int k = 0; k < shape[2]; k++)
            if (Inside(i, j, k) && !(Inside(i - 1, j, k) && Inside(i + 1, j, k) && Inside(i, j - 1, k) && Inside(i, j + 1, k)
                                     && Inside(i, j, k - 1) && Inside(i, j, k + 1)))
                surface.Add([i, j, k]);
        return surface;
    }

    private static double Distance(int[] a, int[] b, double[] spacing)
    {
        double sum = 0;
        for (int axis = 0; axis < 3; axis++)
        {
            double step = spacing[axis] * (a[axis] - b[axis]);
            sum += step * step;
        }
        return Math.Sqrt(sum);
    }
}
