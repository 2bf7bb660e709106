using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// The per-voxel weight of a window's output when overlapping windows are blended, as MONAI's
/// <c>compute_importance_map</c> (MONAI 1.x) computes it:
/// <list type="bullet">
/// <item><see cref="BlendMode.Constant"/>: ones.</item>
/// <item><see cref="BlendMode.Gaussian"/>: the outer product of one 1-D Gaussian per axis,
/// g(x) = exp(−x² / (2σ²)) at x = −(n − 1)/2, …, (n − 1)/2 with σ = sigma_scale · n. The centre lies between two voxels
/// when n is even, so the peak is exp(−1/(8σ²)) per axis, slightly below 1: MONAI does not rescale the map to a maximum
/// of 1, and neither does this (the blend divides by the summed weights, so only ratios matter).</item>
/// </list>
/// Both are then clamped from below at max(min(map), 0.001): the Gaussian's corners underflow towards 0 (for n = 96
/// and σ = n/8 a corner is e^−93), and a weight of 0 would leave voxels that only window corners cover with 0/0.
/// Computed in float32 with the same operations as MONAI.
/// </summary>
public static class ImportanceMap
{
    /// <summary>MONAI's default <c>sigma_scale</c>: σ = ROI / 8 per axis.</summary>
    public const double DefaultSigmaScale = 0.125;

    /// <summary>The smallest weight the clamp allows (MONAI's 1e-3).</summary>
    public const double MinimumWeight = 1e-3;

    /// <summary>The importance map of a window of size <paramref name="roiSize"/>.</summary>
    /// <param name="roiSize">Window size per spatial axis (each ≥ 1).</param>
    /// <param name="mode">Blending mode.</param>
    /// <param name="sigmaScale">σ as a fraction of the window size (Gaussian only; &gt; 0).</param>
    /// <param name="device">Where the map is created (default CPU).</param>
    /// <returns>A float32 tensor of shape <paramref name="roiSize"/>, in the caller's dispose scope.</returns>
    public static Tensor Compute(IReadOnlyList<long> roiSize, BlendMode mode, double sigmaScale = DefaultSigmaScale, Device? device = null)
    {
        if (roiSize is null || roiSize.Count == 0 || roiSize.Any(s => s < 1))
            throw new ArgumentException($"The ROI must have positive sizes, got [{string.Join(", ", roiSize ?? [])}].", nameof(roiSize));
        if (!(sigmaScale > 0) || double.IsInfinity(sigmaScale))
            throw new ArgumentOutOfRangeException(nameof(sigmaScale), sigmaScale, "sigma_scale must be a positive number.");
        device ??= CPU;
        using var scope = NewDisposeScope();
        Tensor map;
        if (mode == BlendMode.Constant)
        {
            map = ones(roiSize.ToArray(), ScalarType.Float32, device);
        }
        else if (mode == BlendMode.Gaussian)
        {
            map = null!;
            for (int axis = 0; axis < roiSize.Count; axis++)
            {
                long n = roiSize[axis];
                double sigma = sigmaScale * n;
                double half = (n - 1) / 2.0;
                var x = arange(-half, half + 1, 1.0, ScalarType.Float32, device);
                var gaussian = x.pow(2).div(-2 * sigma * sigma).exp();
                // Outer product, axis by axis: map[..., newaxis] * g broadcast along the earlier axes.
                map = axis == 0 ? gaussian : map.unsqueeze(-1) * gaussian.view([.. Enumerable.Repeat(1L, axis), n]);
            }
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown blend mode; expected constant or gaussian.");
        }
        double floor = Math.Max(map.min().item<float>(), MinimumWeight);
        return map.clamp_(min: floor).MoveToOuterDisposeScope();
    }
}
