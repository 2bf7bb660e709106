using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>UnetrBasicBlock</c> with <c>res_block=True</c> (unetr_block.py): a <see cref="UnetResBlock"/> held
/// under the name <c>layer</c>, so its keys read <c>layer.conv1.conv.weight</c> and so on. Used as the skip-path
/// encoders and the last decoder stage of UNETR-style networks.
/// </summary>
public sealed class UnetrBasicBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>The residual block.</summary>
    public readonly UnetResBlock layer;
#pragma warning restore IDE1006

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Cubic kernel size of the block's convolutions (3 in UNETR-style nets).</param>
    /// <param name="stride">Cubic stride of the block's first convolution (default 1).</param>
    public UnetrBasicBlock(int inChannels, int outChannels, int kernelSize = 3, int stride = 1) : base(nameof(UnetrBasicBlock))
    {
        layer = new UnetResBlock(inChannels, outChannels, kernelSize, stride);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layer.call(input);
}
