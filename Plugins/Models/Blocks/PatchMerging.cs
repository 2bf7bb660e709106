using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// MONAI's 3-D <c>PatchMerging</c> / <c>PatchMergingV2</c> (swin_unetr.py), on channels-last maps [B, D, H, W, C]:
/// odd extents are zero-padded by one on the far side, the eight sub-grids <c>x[:, d::2, h::2, w::2]</c> are
/// concatenated along channels in the <see cref="PatchMergingOrder"/>, then <c>norm</c> (LayerNorm(8C), eps 1e-5)
/// and <c>reduction</c> (Linear 8C → 2C, no bias). Output [B, ⌈D/2⌉, ⌈H/2⌉, ⌈W/2⌉, 2C]. Keys:
/// <c>reduction.weight</c> [2C, 8C], <c>norm.weight|bias</c> [8C].
/// </summary>
public sealed class PatchMerging : nn.Module<Tensor, Tensor>
{
    /// <summary>Epsilon of the LayerNorm (PyTorch's default, as MONAI).</summary>
    public const double NormEpsilon = 1e-5;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Linear reduction 8C → 2C without bias.</summary>
    public readonly Linear reduction;
    /// <summary>LayerNorm over the 8C concatenated channels.</summary>
    public readonly LayerNorm norm;
#pragma warning restore IDE1006

    /// <param name="channels">Input channels C.</param>
    /// <param name="order">Sub-grid order (see <see cref="PatchMergingOrder"/>).</param>
    public PatchMerging(int channels, PatchMergingOrder order = PatchMergingOrder.Merging) : base(nameof(PatchMerging))
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive.");
        if (!Enum.IsDefined(order)) throw new ArgumentOutOfRangeException(nameof(order), order, "unknown patch-merging order.");
        Channels = channels;
        Order = order;
        reduction = nn.Linear(8L * channels, 2L * channels, hasBias: false);
        norm = nn.LayerNorm(8L * channels, eps: NormEpsilon);
        RegisterComponents();
    }

    /// <summary>Input channels C.</summary>
    public int Channels { get; }

    /// <summary>The sub-grid order.</summary>
    public PatchMergingOrder Order { get; }

    /// <summary>The (d, h, w) start offsets of the eight sub-grids, in concatenation order.</summary>
    public IReadOnlyList<(int D, int H, int W)> Offsets => Order switch
    {
        PatchMergingOrder.MergingLegacy => [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (0, 1, 0), (0, 0, 1), (1, 1, 1)],
        PatchMergingOrder.Mergingv2 => [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)],
        _ => [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)],
    };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 5 || input.shape[4] != Channels)
            throw new ArgumentException($"{nameof(PatchMerging)}: expected [B, D, H, W, {Channels}], got [{string.Join(", ", input.shape)}].");
        long d = input.shape[1], h = input.shape[2], w = input.shape[3];
        var x = input;
        if (d % 2 == 1 || h % 2 == 1 || w % 2 == 1)
            x = nn.functional.pad(x, new long[] { 0, 0, 0, w % 2, 0, h % 2, 0, d % 2 });
        var parts = Offsets
            .Select(o => x.slice(1, o.D, x.shape[1], 2).slice(2, o.H, x.shape[2], 2).slice(3, o.W, x.shape[3], 2))
            .ToArray();
        return reduction.call(norm.call(cat(parts, -1)));
    }
}
