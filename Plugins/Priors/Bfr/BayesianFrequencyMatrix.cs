using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Bfr;

/// <summary>
/// The Bayesian frequency matrix of RepUX-Net: for kernel tap p of a k×k×k kernel with centre c = (k/2, k/2, k/2),
/// BFM(p) = α / (‖p − c‖₂ + α). It is 1 at the centre and decays reciprocally with the Euclidean distance; it is not
/// normalised. The same matrix scales every channel.
/// </summary>
public static class BayesianFrequencyMatrix
{
    /// <summary>
    /// The matrix for kernel size <paramref name="kernelSize"/> and <paramref name="alpha"/>, shape [k, k, k],
    /// float32, computed in float64 and then rounded once, as the original (NumPy/SciPy in float64, then a float32
    /// tensor).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not a positive odd number, or α is not a positive finite number.</exception>
    public static Tensor Create(int kernelSize, double alpha)
    {
        if (kernelSize <= 0 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel_size must be a positive odd number.");
        if (!double.IsFinite(alpha) || alpha <= 0)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a positive finite number.");

        using var scope = NewDisposeScope();
        long k = kernelSize;
        var squared = (arange(k, dtype: ScalarType.Float64) - k / 2).square();
        var distance = (squared.view(k, 1, 1) + squared.view(1, k, 1) + squared.view(1, 1, k)).sqrt();
        // α / (d + α) as a true division (a reciprocal times α would round differently).
        var matrix = full(new[] { k, k, k }, alpha, ScalarType.Float64).div(distance + alpha);
        return matrix.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
