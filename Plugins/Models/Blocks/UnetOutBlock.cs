using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>UnetOutBlock</c> (dynunet_block.py): the segmentation head, a 1×1×1 convolution with bias from the
/// last decoder features to one logit per class. Keys: <c>conv.conv.weight</c> [classes, in, 1, 1, 1] and
/// <c>conv.conv.bias</c> [classes].
/// </summary>
public sealed class UnetOutBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The 1×1×1 convolution.</summary>
    public readonly NestedConvolution conv;
#pragma warning restore IDE1006

    /// <param name="inChannels">Channels of the decoder output.</param>
    /// <param name="outChannels">Number of classes (logit channels).</param>
    public UnetOutBlock(int inChannels, int outChannels) : base(nameof(UnetOutBlock))
    {
        conv = new NestedConvolution(inChannels, outChannels, 1, 1, bias: true);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => conv.call(input);
}
