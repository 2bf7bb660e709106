using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Priors.Bfr;

/// <summary>Options of the <c>bfr</c> prior (YAML keys are the snake_case property names).</summary>
public sealed class BfrOptions : IValidatableOptions, IKernelLayerSelection
{
    /// <summary>
    /// α of the prior BFM(p) = α / (‖p − c‖₂ + α) (the original's <c>a</c>; default 1, as in the paper and every
    /// official script). Larger α flattens the prior, smaller α concentrates it on the centre tap. Must be positive.
    /// </summary>
    [Description("Alpha of the prior alpha / (|p - c| + alpha) (the original's a); positive, default 1.")]
    public double Alpha { get; set; } = 1;

    /// <summary>
    /// <see cref="BfrMode.Reparam"/> (default): the paper's re-parameterization, latent kernel trained through
    /// W ⊙ BFM. <see cref="BfrMode.Official"/>: the released code's behaviour, kernel multiplied by the BFM in place on
    /// every forward call and never updated by the optimizer.
    /// </summary>
    [Description("reparam (paper: convolve with W*BFM, gradients scaled by BFM) or official (released code: W *= BFM on every forward, W not trained).")]
    public BfrMode Mode { get; set; } = BfrMode.Reparam;

    /// <summary>
    /// Depthwise layers with a kernel of at least this size get the prior (default 7). That covers RepUX-Net's 21³
    /// kernels and 3D UX-Net's 7³ ones (and k = 7 RepUX-Net variants); the backbones here have no other depthwise
    /// layers, so the threshold only matters for custom networks with small depthwise kernels.
    /// </summary>
    [Description("Depthwise layers whose kernel size is at least this get the prior; positive, default 7.")]
    public int MinKernelSize { get; set; } = 7;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (!double.IsFinite(Alpha) || Alpha <= 0)
            yield return ("alpha", $"must be a positive finite number, got {Alpha}.");
        if (!Enum.IsDefined(Mode))
            yield return ("mode", $"unknown value {(int)Mode}; use reparam or official.");
        if (MinKernelSize <= 0)
            yield return ("min_kernel_size", $"must be positive, got {MinKernelSize}.");
    }
}
