namespace Pipeline.Core.Metrics;

/// <summary>
/// Percentiles with linear interpolation between the two nearest ranks: NumPy's default (<c>np.percentile</c>,
/// <c>method="linear"</c>) and <c>torch.quantile</c>'s, which MONAI's Hausdorff distance uses. For n sorted values and
/// percent p the virtual index is h = (n − 1)·p/100 and the result lies between values ⌊h⌋ and ⌊h⌋ + 1, computed the
/// way NumPy's <c>_lerp</c> does so results agree to the last bit.
/// </summary>
public static class Percentile
{
    /// <summary>The <paramref name="percent"/>-th percentile of ascending <paramref name="sorted"/> values.</summary>
    /// <param name="sorted">Values in ascending order, at least one.</param>
    /// <param name="percent">Between 0 and 100.</param>
    public static double OfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
            throw new ArgumentException("A percentile needs at least one value.", nameof(sorted));
        if (!(percent >= 0 && percent <= 100))
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile must be between 0 and 100.");
        int n = sorted.Length;
        double virtualIndex = (n - 1) * (percent / 100);
        if (virtualIndex >= n - 1) return sorted[n - 1];
        int previous = (int)Math.Floor(virtualIndex);
        double gamma = virtualIndex - previous;
        double below = sorted[previous], above = sorted[previous + 1];
        double difference = above - below;
        // Interpolating from the nearer end keeps the result inside [below, above] despite rounding (NumPy's choice).
        return gamma >= 0.5 ? above - difference * (1 - gamma) : below + difference * gamma;
    }

    /// <summary>The <paramref name="percent"/>-th percentile of <paramref name="values"/> in any order (sorts a copy).</summary>
    /// <param name="values">At least one value; NaN is not allowed.</param>
    /// <param name="percent">Between 0 and 100.</param>
    public static double Of(IEnumerable<double> values, double percent)
    {
        var sorted = values.ToArray();
        if (sorted.Any(double.IsNaN))
            throw new ArgumentException("A percentile of values containing NaN is undefined; filter them first.", nameof(values));
        Array.Sort(sorted);
        return OfSorted(sorted, percent);
    }
}
