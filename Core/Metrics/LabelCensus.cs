namespace Pipeline.Core.Metrics;

/// <summary>
/// One pass over a prediction/reference pair: for each scored label, its voxel counts, the overlap and the bounding box
/// of the union (where the surfaces and all their nearest points lie, so distances can be computed inside it).
/// </summary>
internal sealed class LabelCensus
{
    private LabelCensus(int labels)
    {
        PredictionVoxels = new long[labels];
        ReferenceVoxels = new long[labels];
        IntersectionVoxels = new long[labels];
        Low = new int[labels][];
        High = new int[labels][];
        for (int c = 0; c < labels; c++)
        {
            Low[c] = [int.MaxValue, int.MaxValue, int.MaxValue];
            High[c] = [-1, -1, -1];
        }
    }

    /// <summary>Voxels of each label in the prediction.</summary>
    public long[] PredictionVoxels { get; }

    /// <summary>Voxels of each label in the reference.</summary>
    public long[] ReferenceVoxels { get; }

    /// <summary>Voxels of each label in both.</summary>
    public long[] IntersectionVoxels { get; }

    /// <summary>Per label, the smallest index along each axis of a voxel in either map (int.MaxValue when none).</summary>
    public int[][] Low { get; }

    /// <summary>Per label, the largest index along each axis of a voxel in either map (−1 when none).</summary>
    public int[][] High { get; }

    /// <summary>Counts the <paramref name="labels"/> in a pair of row-major maps of shape [n0, n1, n2].</summary>
    public static LabelCensus Take(ReadOnlySpan<long> prediction, ReadOnlySpan<long> reference, int n0, int n1, int n2, IReadOnlyList<long> labels)
    {
        var census = new LabelCensus(labels.Count);
        var slot = new Dictionary<long, int>(labels.Count);
        for (int c = 0; c < labels.Count; c++) slot[labels[c]] = c;

        // Neighbouring voxels mostly share a value, so remembering the last lookup skips most dictionary probes.
        long lastPredictionValue = 0, lastReferenceValue = 0;
        int lastPredictionSlot = Slot(slot, 0), lastReferenceSlot = lastPredictionSlot;
        int index = 0;
        for (int i = 0; i < n0; i++)
        for (int j = 0; j < n1; j++)
        for (int k = 0; k < n2; k++, index++)
        {
            long p = prediction[index], r = reference[index];
            if (p != lastPredictionValue) { lastPredictionValue = p; lastPredictionSlot = Slot(slot, p); }
            if (r != lastReferenceValue) { lastReferenceValue = r; lastReferenceSlot = Slot(slot, r); }
            if (lastPredictionSlot >= 0)
            {
                census.PredictionVoxels[lastPredictionSlot]++;
                census.Extend(lastPredictionSlot, i, j, k);
                if (lastPredictionSlot == lastReferenceSlot) census.IntersectionVoxels[lastPredictionSlot]++;
            }
            if (lastReferenceSlot >= 0)
            {
                census.ReferenceVoxels[lastReferenceSlot]++;
                if (lastReferenceSlot != lastPredictionSlot) census.Extend(lastReferenceSlot, i, j, k);
            }
        }
        return census;
    }

    private static int Slot(Dictionary<long, int> slot, long value) => slot.TryGetValue(value, out int c) ? c : -1;

    private void Extend(int c, int i, int j, int k)
    {
        int[] low = Low[c], high = High[c];
        if (i < low[0]) low[0] = i;
        if (i > high[0]) high[0] = i;
        if (j < low[1]) low[1] = j;
        if (j > high[1]) high[1] = j;
        if (k < low[2]) low[2] = k;
        if (k > high[2]) high[2] = k;
    }
}
