using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>Percentiles with numpy's default method (<c>np.percentile(x, q)</c>, "linear").</summary>
internal static class Percentiles
{
    /// <summary>
    /// The <paramref name="lower"/> and <paramref name="upper"/> percentiles (0..100) of all values of
    /// <paramref name="values"/>: with the values sorted, position <c>q/100 · (n − 1)</c> interpolated linearly
    /// between its two neighbours, in float64.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public static (double Lower, double Upper) Of(Tensor values, double lower, double upper)
    {
        if (values.numel() == 0) throw new ArgumentException("percentiles of an empty volume are undefined", nameof(values));
        using var scope = NewDisposeScope();
        var sorted = values.to_type(ScalarType.Float64).flatten().sort().Values;
        return (At(sorted, lower), At(sorted, upper));
    }

    private static double At(Tensor sorted, double percentile)
    {
        var count = sorted.shape[0];
        var position = percentile / 100 * (count - 1);
        var below = (long)Math.Floor(position);
        var above = Math.Min(below + 1, count - 1);
        var fraction = position - below;
        var a = sorted[below].item<double>();
        var b = sorted[above].item<double>();
        // numpy's lerp: from the nearer end, so fraction 1 gives b exactly.
        return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
    }
}
