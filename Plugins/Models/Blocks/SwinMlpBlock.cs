using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's <c>MLPBlock</c> as the Swin transformer block uses it (<c>act="GELU"</c>, <c>dropout_mode="swin"</c>):
/// <c>linear1</c> (C → hidden, bias) → GELU (exact) → dropout → <c>linear2</c> (hidden → C, bias) → dropout, on
/// channels-last tokens. Keys: <c>linear1.weight|bias</c>, <c>linear2.weight|bias</c>.
/// </summary>
public sealed class SwinMlpBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Expansion, C → hidden.</summary>
    public readonly Linear linear1;
    /// <summary>Projection back, hidden → C.</summary>
    public readonly Linear linear2;
    /// <summary>GELU (exact, erf form).</summary>
    public readonly GELU fn;
    /// <summary>Dropout after the activation.</summary>
    public readonly Dropout drop1;
    /// <summary>Dropout after <see cref="linear2"/>.</summary>
    public readonly Dropout drop2;
#pragma warning restore IDE1006

    /// <param name="channels">Channels C (input = output).</param>
    /// <param name="hiddenChannels">Hidden width (SwinUNETR: ⌊C · mlp_ratio⌋).</param>
    /// <param name="dropout">Dropout probability of both dropouts in training.</param>
    public SwinMlpBlock(int channels, int hiddenChannels, double dropout = 0) : base(nameof(SwinMlpBlock))
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive.");
        if (hiddenChannels <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenChannels), hiddenChannels, "the hidden width must be positive.");
        linear1 = nn.Linear(channels, hiddenChannels);
        linear2 = nn.Linear(hiddenChannels, channels);
        fn = nn.GELU();
        drop1 = nn.Dropout(dropout);
        drop2 = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = drop1.call(fn.call(linear1.call(input)));
        return drop2.call(linear2.call(x));
    }
}
