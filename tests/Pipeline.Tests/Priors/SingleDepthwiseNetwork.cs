using Pipeline.Core.Nn;
using static TorchSharp.torch;

namespace Pipeline.Tests.Priors;

/// <summary>
/// The smallest network a weight prior can work on: one <see cref="DepthwiseConv3d"/> (<c>dwconv</c>), so a prior's
/// effect on a layer can be checked through the public <see cref="Pipeline.Core.Plugins.IWeightPrior"/> API.
/// </summary>
public sealed class SingleDepthwiseNetwork : SegmentationNetwork
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The layer under test.</summary>
    public readonly DepthwiseConv3d dwconv;
#pragma warning restore IDE1006

    /// <param name="channels">Channels C.</param>
    /// <param name="kernelSize">Odd kernel size k.</param>
    /// <param name="path">Computation path of the layer.</param>
    /// <param name="hasBias">Whether the layer has a bias.</param>
    /// <param name="seed">Seed of the generator that draws the weights (U(−b, b), b = 1/√k³, as PyTorch's init).</param>
    public SingleDepthwiseNetwork(int channels, int kernelSize, DepthwiseConvPath path = DepthwiseConvPath.Auto, bool hasBias = true, ulong seed = 1)
        : base(nameof(SingleDepthwiseNetwork))
    {
        InChannels = channels;
        dwconv = new DepthwiseConv3d(channels, kernelSize, hasBias, path);
        var generator = new Generator(seed);
        double bound = 1.0 / Math.Sqrt(kernelSize * kernelSize * kernelSize);
        using (no_grad())
        {
            dwconv.weight.copy_(rand(dwconv.weight.shape, generator: generator) * (2 * bound) - bound);
            dwconv.bias?.copy_(rand(channels, generator: generator) * (2 * bound) - bound);
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int InChannels { get; }

    /// <inheritdoc />
    public override int OutChannels => InChannels;

    /// <inheritdoc />
    public override int SpatialDivisor => 1;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> EncoderFeatures(Tensor input) => new[] { forward(input) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => dwconv.call(input);
}
