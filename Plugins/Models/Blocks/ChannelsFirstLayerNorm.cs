using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The hand-written channels-first LayerNorm of UX-Net / RepUX-Net (<c>LayerNorm(data_format="channels_first")</c>):
/// for x [N, C, ...], <c>u = mean_C(x)</c>, <c>s = mean_C((x − u)²)</c> (biased variance),
/// <c>y = weight_c · (x − u) / √(s + eps) + bias_c</c>. Used in the stem, before each down-sampling convolution and
/// on every encoder output. Keys: <c>weight</c> [C] (initialised to 1) and <c>bias</c> [C] (initialised to 0).
/// </summary>
public sealed class ChannelsFirstLayerNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>The original's epsilon.</summary>
    public const double DefaultEpsilon = 1e-6;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Per-channel scale, [C].</summary>
    public readonly Parameter weight;
    /// <summary>Per-channel shift, [C].</summary>
    public readonly Parameter bias;
#pragma warning restore IDE1006

    /// <param name="channels">Number of channels C (the axis normalised over is dim 1).</param>
    /// <param name="epsilon">Added to the variance before the square root (default 1e-6, as in the original).</param>
    public ChannelsFirstLayerNorm(int channels, double epsilon = DefaultEpsilon) : base(nameof(ChannelsFirstLayerNorm))
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive.");
        if (epsilon <= 0) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        Channels = channels;
        Epsilon = epsilon;
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        RegisterComponents();
    }

    /// <summary>Number of channels C.</summary>
    public int Channels { get; }

    /// <summary>Epsilon added to the variance.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() < 2 || input.shape[1] != Channels)
            throw new ArgumentException(
                $"{nameof(ChannelsFirstLayerNorm)}: expected [N, {Channels}, ...], got [{string.Join(", ", input.shape)}].");
        var mean = input.mean(new long[] { 1 }, keepdim: true);
        var centred = input - mean;
        var variance = centred.pow(2).mean(new long[] { 1 }, keepdim: true);
        var normalised = centred / (variance + Epsilon).sqrt();
        var perChannel = new long[input.dim() - 1];
        Array.Fill(perChannel, 1L);
        perChannel[0] = Channels;
        return weight.view(perChannel) * normalised + bias.view(perChannel);
    }
}
