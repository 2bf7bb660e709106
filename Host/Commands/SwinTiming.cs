using Pipeline.Plugins.Models.Blocks;

namespace Pipeline.Cli.Commands;

/// <summary>Timings of one configuration of <see cref="SwinBenchmark"/>, in milliseconds over the timed repetitions.</summary>
/// <param name="Size">Edge of the cubic input.</param>
/// <param name="FeatureSize">Feature size F.</param>
/// <param name="Attention">Window-attention implementation.</param>
/// <param name="Measure"><c>fwd</c>, <c>fwd+bwd</c> or <c>fwd+bwd, checkpointed</c>.</param>
/// <param name="Milliseconds">Wall time, one value per timed repetition.</param>
/// <param name="CpuSeconds">Process CPU time (all threads), one value per timed repetition.</param>
/// <param name="PeakWorkingSetGiB">The process's peak working set after this measure (GiB; a running maximum over the whole run).</param>
public sealed record SwinTiming(int Size, int FeatureSize, WindowAttentionPath Attention, string Measure, IReadOnlyList<double> Milliseconds,
    IReadOnlyList<double> CpuSeconds, double PeakWorkingSetGiB)
{
    /// <summary>Median of <see cref="Milliseconds"/>.</summary>
    public double Median => MedianOf(Milliseconds);

    /// <summary>Median of <see cref="CpuSeconds"/>.</summary>
    public double CpuMedian => MedianOf(CpuSeconds);

    /// <summary>Minimum of <see cref="Milliseconds"/>.</summary>
    public double Minimum => Milliseconds.Min();

    private static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
