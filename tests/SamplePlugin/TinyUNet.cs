using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Samples.TinyUNet;

/// <summary>A two-level 3-D U-Net: small enough to train in seconds on a CPU, which is all a sample needs.</summary>
public sealed class TinyUNet : SegmentationNetwork
{
#pragma warning disable IDE1006 // field names are state_dict keys
    private readonly Sequential encoder;
    private readonly Sequential bottleneck;
    private readonly ConvTranspose3d up;
    private readonly Sequential decoder;
    private readonly Conv3d head;
#pragma warning restore IDE1006

    /// <param name="options">Channels and widths.</param>
    public TinyUNet(TinyUNetOptions options) : base(nameof(TinyUNet))
    {
        InChannels = options.InChannels;
        OutChannels = options.OutChannels;
        int f0 = options.FeatureSizes[0], f1 = options.FeatureSizes[1];
        encoder = ConvBlock(options.InChannels, f0);
        bottleneck = nn.Sequential(nn.MaxPool3d(2), ConvBlock(f0, f1));
        up = nn.ConvTranspose3d(f1, f0, 2, stride: 2);
        decoder = ConvBlock(2 * f0, f0);
        head = nn.Conv3d(f0, options.OutChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int InChannels { get; }

    /// <inheritdoc />
    public override int OutChannels { get; }

    /// <inheritdoc />
    public override int SpatialDivisor => 2;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> EncoderFeatures(Tensor input)
    {
        Tensor skip = encoder.forward(input);
        return [skip, bottleneck.forward(skip)];
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor skip = encoder.forward(input);
        Tensor deep = up.forward(bottleneck.forward(skip));
        return head.forward(decoder.forward(cat([deep, skip], 1)));
    }

    private static Sequential ConvBlock(int inChannels, int outChannels) => nn.Sequential(
        nn.Conv3d(inChannels, outChannels, 3, padding: 1),
        nn.InstanceNorm3d(outChannels, affine: true),
        nn.LeakyReLU(0.01));
}
