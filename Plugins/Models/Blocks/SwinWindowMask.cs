using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The shifted-window mask of one padded feature-map shape, in two forms: <see cref="Full"/>, MONAI's
/// <c>compute_mask</c> result [nW, N, N], and the same grouped by distinct pattern (<see cref="Groups"/>): windows
/// inside one region share the all-zero pattern and only the windows along the far faces straddle regions, so a
/// shape has at most eight patterns. The fused attention path attends each group with its one [N, N] pattern
/// broadcast over the group's windows instead of materialising a [nW, heads, N, N] mask (which costs more than the
/// attention itself on the CPU). Built by <see cref="SwinRegionMaskCache"/>; owns its tensors.
/// </summary>
public sealed class SwinWindowMask : IDisposable
{
    private SwinWindowMask(Tensor full, IReadOnlyList<(Tensor Windows, Tensor Mask)> groups, Tensor inverse)
    {
        Full = full;
        Groups = groups;
        Inverse = inverse;
    }

    /// <summary>MONAI's mask, [nW, N, N]: 0 within a region, <see cref="SwinWindows.MaskedLogit"/> across regions.</summary>
    public Tensor Full { get; }

    /// <summary>
    /// The windows (int64 indices into the nW windows of one map, ascending) that share each distinct pattern, and
    /// that pattern [N, N]; every window is in exactly one group.
    /// </summary>
    public IReadOnlyList<(Tensor Windows, Tensor Mask)> Groups { get; }

    /// <summary>
    /// int64 [nW]: where each window lands when the groups' windows are concatenated in group order, i.e. the
    /// permutation that puts results computed group by group back into window order.
    /// </summary>
    public Tensor Inverse { get; }

    /// <summary>Windows per map, nW.</summary>
    public long WindowCount => Full.shape[0];

    /// <summary>Builds the mask of a padded shape on <paramref name="device"/> as <paramref name="dtype"/>, outside every dispose scope.</summary>
    /// <param name="padded">Padded extents (Dp, Hp, Wp).</param>
    /// <param name="window">Effective window.</param>
    /// <param name="shift">Effective shift.</param>
    /// <param name="device">Device of the tensors.</param>
    /// <param name="dtype">Element type of the masks.</param>
    public static SwinWindowMask Build(IReadOnlyList<long> padded, IReadOnlyList<int> window, IReadOnlyList<int> shift, Device device, ScalarType dtype)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var labels = SwinWindows.RegionLabels(padded, window, shift);
        long windows = labels.shape[0], tokens = labels.shape[1];
        var values = labels.data<float>().ToArray();

        // Two windows have the same mask exactly when their label rows agree up to renaming the labels.
        var groupOf = new Dictionary<string, List<long>>();
        for (long w = 0; w < windows; w++)
        {
            var renamed = new Dictionary<float, int>();
            var key = new int[tokens];
            for (long t = 0; t < tokens; t++)
            {
                float label = values[w * tokens + t];
                if (!renamed.TryGetValue(label, out int name)) renamed[label] = name = renamed.Count;
                key[t] = name;
            }
            string text = string.Join(',', key);
            if (!groupOf.TryGetValue(text, out var members)) groupOf[text] = members = [];
            members.Add(w);
        }

        var order = groupOf.Values.SelectMany(members => members).ToArray();
        var inverse = new long[windows];
        for (int position = 0; position < order.Length; position++) inverse[order[position]] = position;

        var full = SwinWindows.MaskOf(labels).to(dtype, device).DetachFromDisposeScope();
        var groups = groupOf.Values
            .Select(members =>
            {
                var indices = tensor(members.ToArray()).to(device).DetachFromDisposeScope();
                var mask = SwinWindows.MaskOf(labels[members[0]]).to(dtype, device).DetachFromDisposeScope();
                return (indices, mask);
            })
            .ToList();
        return new SwinWindowMask(full, groups, tensor(inverse).to(device).DetachFromDisposeScope());
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Full.Dispose();
        Inverse.Dispose();
        foreach (var (windows, mask) in Groups)
        {
            windows.Dispose();
            mask.Dispose();
        }
    }
}
