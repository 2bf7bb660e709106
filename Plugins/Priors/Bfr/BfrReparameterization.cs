using Pipeline.Core.Nn;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Bfr;

/// <summary>
/// Bayesian frequency re-parameterization as the paper describes it (<see cref="BfrMode.Reparam"/>): the layer's
/// <c>weight</c> is the trainable latent kernel W, and the layer computes its convolution with W ⊙ BFM on its own fast
/// path. Autograd through the product gives ∂L/∂W = BFM ⊙ ∂L/∂W_eff: taps far from the centre learn more slowly.
/// The BFM is a non-persistent buffer: it moves with the module but never enters the state_dict, so a checkpoint
/// holds exactly the layer's plain keys (with the latent W until folded).
/// </summary>
public sealed class BfrReparameterization : KernelReparameterization
{
#pragma warning disable IDE1006 // field name is the buffer name
    private readonly Tensor bfm;
#pragma warning restore IDE1006

    /// <param name="matrix">The Bayesian frequency matrix, [k, k, k] (see <see cref="BayesianFrequencyMatrix"/>), on the layer's device.</param>
    public BfrReparameterization(Tensor matrix) : base(nameof(BfrReparameterization))
    {
        bfm = matrix;
        register_buffer(nameof(bfm), bfm, persistent: false);
        RegisterComponents();
    }

    /// <summary>The Bayesian frequency matrix, [k, k, k].</summary>
    public Tensor Matrix => bfm;

    /// <inheritdoc />
    public override Tensor Forward(DepthwiseConv3d layer, Tensor input) =>
        layer.Convolve(input, layer.weight * bfm, layer.bias);

    /// <inheritdoc />
    public override void FoldInto(DepthwiseConv3d layer)
    {
        using (no_grad())
            layer.weight.mul_(bfm);
    }
}
