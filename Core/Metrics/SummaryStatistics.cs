namespace Pipeline.Core.Metrics;

/// <summary>
/// Mean, standard deviation and median of one metric over cases, skipping undefined values (NaN; infinite values,
/// which this library never produces, are skipped too) and counting the rest.
/// The standard deviation is the sample one (denominator n − 1, as pandas' <c>std</c> and <c>torch.std</c> default);
/// it is NaN below two values. The median interpolates linearly like <c>np.median</c>. All are NaN without values.
/// </summary>
/// <param name="Count">Defined values summarised.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1).</param>
/// <param name="Median">Median (the 50th percentile, linear interpolation).</param>
public sealed record SummaryStatistics(int Count, double Mean, double StandardDeviation, double Median)
{
    /// <summary>Summarises <paramref name="values"/>, ignoring NaN and infinite ones.</summary>
    public static SummaryStatistics Of(IEnumerable<double> values)
    {
        var defined = values.Where(double.IsFinite).ToArray();
        if (defined.Length == 0) return new SummaryStatistics(0, double.NaN, double.NaN, double.NaN);
        double mean = defined.Sum() / defined.Length;
        double squares = defined.Sum(value => (value - mean) * (value - mean));
        double deviation = defined.Length < 2 ? double.NaN : Math.Sqrt(squares / (defined.Length - 1));
        Array.Sort(defined);
        return new SummaryStatistics(defined.Length, mean, deviation, Percentile.OfSorted(defined, 50));
    }

    /// <summary>The mean of the defined values, NaN when there is none.</summary>
    public static double MeanOf(IEnumerable<double> values) => Of(values).Mean;
}
