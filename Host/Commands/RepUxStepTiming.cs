using Pipeline.Core.Nn;

namespace Pipeline.Cli.Commands;

/// <summary>Timings of one configuration of <see cref="RepUxStepBenchmark"/>, in milliseconds over the timed rounds.</summary>
/// <param name="Path">Depthwise path of the large kernels.</param>
/// <param name="Prior">none, bfr or structural.</param>
/// <param name="Measure">train step, inference, or folded inference.</param>
/// <param name="Milliseconds">One value per timed round.</param>
public sealed record RepUxStepTiming(DepthwiseConvPath Path, string Prior, string Measure, IReadOnlyList<double> Milliseconds)
{
    /// <summary>Median of <see cref="Milliseconds"/>.</summary>
    public double Median
    {
        get
        {
            var sorted = Milliseconds.Order().ToList();
            int middle = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>Minimum of <see cref="Milliseconds"/>.</summary>
    public double Minimum => Milliseconds.Min();
}
