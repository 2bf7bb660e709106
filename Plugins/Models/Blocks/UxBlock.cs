using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The 3D UX-Net block (<c>ux_block</c> in uxnet_encoder.py), a ConvNeXt-style residual block whose MLP is
/// "depthwise convolution scaling": <c>dwconv</c> (k×k×k depthwise, padding k/2, bias) → channels-last
/// LayerNorm (<c>norm</c>, eps 1e-6) → <c>pwconv1</c> (1×1×1, C → 4C, groups C: output channel o reads input
/// channel ⌊o/4⌋) → GELU (exact) → <c>pwconv2</c> (1×1×1, 4C → C, groups C) → per-channel <c>gamma</c> →
/// drop-path → add to the input. Keys: <c>gamma</c>, <c>dwconv.*</c>, <c>norm.*</c>, <c>pwconv1.*</c>
/// [4C, 1, 1, 1, 1], <c>pwconv2.*</c> [C, 4, 1, 1, 1].
/// </summary>
public sealed class UxBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Expansion of the grouped pointwise MLP (C → 4C → C).</summary>
    public const int Expansion = 4;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Layer scale γ, [C], or null when the layer-scale init value is 0 (no scaling).</summary>
    public readonly Parameter? gamma;
    /// <summary>The large-kernel depthwise convolution.</summary>
    public readonly DepthwiseConv3d dwconv;
    /// <summary>LayerNorm over channels, applied channels-last.</summary>
    public readonly LayerNorm norm;
    /// <summary>Grouped 1×1×1 expansion, C → 4C.</summary>
    public readonly Conv3d pwconv1;
    /// <summary>GELU (exact, erf form).</summary>
    public readonly GELU act;
    /// <summary>Grouped 1×1×1 projection, 4C → C.</summary>
    public readonly Conv3d pwconv2;
    /// <summary>Stochastic depth on the residual branch.</summary>
    public readonly DropPath drop_path;
#pragma warning restore IDE1006

    /// <param name="channels">Channels C (input = output).</param>
    /// <param name="kernelSize">Odd cubic kernel size k of the depthwise convolution (7 in 3D UX-Net).</param>
    /// <param name="dropPath">Drop-path probability of the residual branch in training (default 0: off).</param>
    /// <param name="layerScaleInitValue">Initial value of every γ entry (default 1e-6); 0 means no layer scale (no <c>gamma</c> key).</param>
    /// <param name="depthwisePath">How the depthwise convolution is computed (see <see cref="DepthwiseConvPath"/>).</param>
    public UxBlock(int channels, int kernelSize = 7, double dropPath = 0, double layerScaleInitValue = 1e-6,
        DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto) : base(nameof(UxBlock))
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive.");
        if (layerScaleInitValue < 0)
            throw new ArgumentOutOfRangeException(nameof(layerScaleInitValue), layerScaleInitValue, "layer_scale_init_value must be >= 0.");
        Channels = channels;
        gamma = layerScaleInitValue > 0 ? new Parameter(full(channels, layerScaleInitValue)) : null;
        dwconv = new DepthwiseConv3d(channels, kernelSize, hasBias: true, depthwisePath);
        norm = nn.LayerNorm(channels, eps: 1e-6);
        pwconv1 = nn.Conv3d(channels, Expansion * channels, 1, groups: channels);
        act = nn.GELU();
        pwconv2 = nn.Conv3d(Expansion * channels, channels, 1, groups: channels);
        drop_path = new DropPath(dropPath);
        RegisterComponents();
    }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = dwconv.call(input);
        x = norm.call(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3);
        x = pwconv1.call(x);
        x = act.call(x);
        x = pwconv2.call(x);
        if (gamma is not null)
            x = gamma.view(Channels, 1, 1, 1) * x;
        return input + drop_path.call(x);
    }
}
