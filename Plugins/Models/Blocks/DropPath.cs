using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// Stochastic depth per sample (timm's <c>DropPath</c>, as UX-Net uses it on the residual branch): in training, each
/// sample's branch output is zeroed with probability p and the kept ones are scaled by 1 / (1 − p); in evaluation,
/// and for p = 0, it is the identity. Has no parameters. Draws from libtorch's default generator.
/// </summary>
public sealed class DropPath : nn.Module<Tensor, Tensor>
{
    /// <param name="probability">Probability p ∈ [0, 1) of dropping a sample's branch.</param>
    public DropPath(double probability) : base(nameof(DropPath))
    {
        if (probability < 0 || probability >= 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "drop-path probability must be in [0, 1).");
        Probability = probability;
    }

    /// <summary>Probability of dropping a sample's branch in training.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training || Probability == 0) return input;
        double keep = 1 - Probability;
        var maskShape = new long[input.dim()];
        Array.Fill(maskShape, 1L);
        maskShape[0] = input.shape[0];
        var mask = empty(maskShape, dtype: input.dtype, device: input.device).bernoulli_(keep).div_(keep);
        return input * mask;
    }
}
