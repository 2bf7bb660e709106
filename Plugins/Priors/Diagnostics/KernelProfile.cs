using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>
/// How a k×k×k depthwise kernel's weight is spread around its centre c = (k/2, k/2, k/2), over all channels.
/// </summary>
/// <param name="KernelSize">k.</param>
/// <param name="MeanAbsByShell">
/// Mean |w| per distance shell: entry r averages the taps p with round(‖p − c‖₂) = r (r = 0 is the centre tap).
/// </param>
/// <param name="Energy">Σ w² over the whole kernel.</param>
/// <param name="EnergyOutsideCentre">Σ w² over the taps outside the centre 3×3×3 cube.</param>
/// <param name="OffCentreTaps">Number of taps (all channels) outside the centre 3×3×3 cube.</param>
/// <param name="NonZeroOffCentreTaps">How many of those are not exactly zero.</param>
public sealed record KernelProfile(
    int KernelSize,
    IReadOnlyList<double> MeanAbsByShell,
    double Energy,
    double EnergyOutsideCentre,
    long OffCentreTaps,
    long NonZeroOffCentreTaps)
{
    /// <summary>Σ w² outside the centre 3³ divided by Σ w² (0 for an all-zero kernel).</summary>
    public double EnergyFractionOutsideCentre => Energy > 0 ? EnergyOutsideCentre / Energy : 0;

    /// <summary>Measures <paramref name="kernel"/>, [C, 1, k, k, k] or [k, k, k], in float64.</summary>
    /// <exception cref="ArgumentException">The kernel is not cubic with an odd size.</exception>
    public static KernelProfile Of(Tensor kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        long k = kernel.shape[^1];
        if (kernel.dim() < 3 || k % 2 == 0 || kernel.shape[^2] != k || kernel.shape[^3] != k)
            throw new ArgumentException($"Expected a cubic kernel with an odd size, got shape [{string.Join(", ", kernel.shape)}].", nameof(kernel));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var taps = kernel.detach().to_type(ScalarType.Float64).reshape(-1, k, k, k);
        var offset = (arange(k, dtype: ScalarType.Float64) - k / 2).to(taps.device);
        var squared = offset.square();
        var distance = (squared.view(k, 1, 1) + squared.view(1, k, 1) + squared.view(1, 1, k)).sqrt();
        var shell = distance.round().to_type(ScalarType.Int64);
        var reach = offset.abs();
        var outside = reach.view(k, 1, 1).maximum(reach.view(1, k, 1)).maximum(reach.view(1, 1, k)) > 1;

        var magnitude = taps.abs().mean(new long[] { 0 });
        long shells = shell.max().item<long>() + 1;
        var meanAbs = new double[shells];
        for (long r = 0; r < shells; r++)
            meanAbs[r] = magnitude.masked_select(shell == r).mean().item<double>();

        var energy = taps.square();
        var outsideTaps = taps.masked_select(outside.unsqueeze(0).expand_as(taps));
        return new KernelProfile(
            (int)k,
            meanAbs,
            energy.sum().item<double>(),
            outsideTaps.square().sum().item<double>(),
            outsideTaps.numel(),
            outsideTaps.count_nonzero().item<long>());
    }
}
