using static TorchSharp.torch;

namespace Pipeline.Tests.Parity;

/// <summary>
/// Compares a computed tensor with a reference under the fixtures' tolerance:
/// max |ours − ref| ≤ <see cref="RelativeTolerance"/> · max(1, max |ref|).
/// </summary>
public static class TensorComparison
{
    /// <summary>Tolerance factor of the parity fixtures.</summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>Asserts shape equality and the tolerance; returns the max absolute difference.</summary>
    /// <param name="name">What is compared, for the failure message.</param>
    /// <param name="actual">Computed tensor.</param>
    /// <param name="expected">Reference tensor.</param>
    public static double AssertClose(string name, Tensor actual, Tensor expected)
    {
        Assert.True(actual.shape.SequenceEqual(expected.shape),
            $"{name}: shape [{string.Join(", ", actual.shape)}] differs from the reference [{string.Join(", ", expected.shape)}].");
        using var scope = NewDisposeScope();
        var ours = actual.to_type(ScalarType.Float64);
        var reference = expected.to_type(ScalarType.Float64);
        double maxAbsDiff = (ours - reference).abs().max().item<double>();
        double maxAbsRef = reference.abs().max().item<double>();
        double tolerance = RelativeTolerance * Math.Max(1.0, maxAbsRef);
        Assert.True(maxAbsDiff <= tolerance,
            $"{name}: max |Δ| = {maxAbsDiff:G4} exceeds {tolerance:G4} (1e-4 · max(1, max|ref| = {maxAbsRef:G4})).");
        return maxAbsDiff;
    }
}
