using Pipeline.Core.Nn;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Bfr;

/// <summary>
/// Bayesian frequency re-parameterization as the released RepUX-Net code behaves (<see cref="BfrMode.Official"/>).
/// Every forward call, in train() and eval() alike and also under no_grad, first replaces the stored kernel by
/// kernel ⊙ BFM (in place, without autograd) and then convolves with it, so the n-th call uses W₀ ⊙ BFMⁿ and the
/// state_dict holds the multiplied kernel. The kernel is frozen (<c>requires_grad = false</c>) while this is
/// installed; the layer's bias and everything else train normally.
/// </summary>
/// <remarks>
/// Why freezing reproduces the original: <c>repux_block.forward</c> assigns <c>dwconv.weight = nn.Parameter(w * BFM)</c>,
/// a new leaf, while the optimizer was built before the first forward and holds the original Parameter. That one is no
/// longer used, never gets a <c>.grad</c>, and AdamW skips parameters without a gradient (its decoupled weight decay
/// included); the new leaf gets a gradient that no optimizer reads and is replaced at the next forward. So the kernel
/// changes only by the per-call BFM factor, which is what a frozen kernel multiplied in place does, with any optimizer
/// built at any time. (Not reproduced: the original's module-level <c>.grad</c> on the new leaf, which a gradient-norm
/// clip over <c>model.parameters()</c> would count; the original scripts do not clip.)
/// </remarks>
public sealed class OfficialBfrReparameterization : KernelReparameterization
{
#pragma warning disable IDE1006 // field name is the buffer name
    private readonly Tensor bfm;
#pragma warning restore IDE1006

    /// <summary>Freezes <paramref name="layer"/>'s kernel; install the result on that same layer.</summary>
    /// <param name="layer">The layer this will be installed on.</param>
    /// <param name="matrix">The Bayesian frequency matrix, [k, k, k], on the layer's device.</param>
    public OfficialBfrReparameterization(DepthwiseConv3d layer, Tensor matrix) : base(nameof(OfficialBfrReparameterization))
    {
        bfm = matrix;
        register_buffer(nameof(bfm), bfm, persistent: false);
        RegisterComponents();
        layer.weight.requires_grad_(false);
    }

    /// <summary>The Bayesian frequency matrix, [k, k, k].</summary>
    public Tensor Matrix => bfm;

    /// <inheritdoc />
    public override Tensor Forward(DepthwiseConv3d layer, Tensor input)
    {
        using (no_grad())
            layer.weight.mul_(bfm);
        // A graph that saved the kernel must not see the next call's in-place update, so with autograd on the
        // convolution gets a snapshot (the original likewise uses a fresh tensor per call).
        var kernel = is_grad_enabled() ? layer.weight.detach().clone() : layer.weight;
        return layer.Convolve(input, kernel, layer.bias);
    }

    /// <summary>
    /// Leaves the kernel as it is (it already holds W₀ ⊙ BFMⁿ, the deploy weight of the original) and makes it
    /// trainable again, so the folded layer is a plain convolution.
    /// </summary>
    public override void FoldInto(DepthwiseConv3d layer) => layer.weight.requires_grad_(true);
}
