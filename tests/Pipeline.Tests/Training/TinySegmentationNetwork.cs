using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>
/// A two-layer network small enough to train in a test: 3×3×3 conv, ReLU, 1×1×1 conv to the classes.
/// Its shapes avoid the float32 oneDNN AVX-512 conv3d kernels that return wrong values on the project's AMD test
/// machines (3×3×3 backward-data with channel counts that are not multiples of 16; checked against float64): the
/// first layer needs no input gradient, and 1×1×1 layers are computed correctly.
/// </summary>
internal sealed class TinySegmentationNetwork : SegmentationNetwork
{
#pragma warning disable IDE1006 // field names are state_dict keys
    private readonly Conv3d features;
    private readonly Conv3d head;
#pragma warning restore IDE1006

    public TinySegmentationNetwork(int inChannels, int outChannels, int width = 8) : base(nameof(TinySegmentationNetwork))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        features = nn.Conv3d(inChannels, width, 3, padding: 1);
        head = nn.Conv3d(width, outChannels, 1);
        RegisterComponents();
    }

    public override int InChannels { get; }

    public override int OutChannels { get; }

    public override int SpatialDivisor => 1;

    /// <summary>The first layer plays the encoder in fine-tuning tests.</summary>
    public override IReadOnlyList<string> EncoderParameterPrefixes => [nameof(features) + "."];

    public override Tensor forward(Tensor input) => head.call(nn.functional.relu(features.call(input)));

    public override IReadOnlyList<Tensor> EncoderFeatures(Tensor input) => [features.call(input)];
}
