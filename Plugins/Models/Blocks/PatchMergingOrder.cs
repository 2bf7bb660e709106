namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The order in which <see cref="PatchMerging"/> concatenates the eight 2×2×2 sub-grids <c>x[:, d::2, h::2, w::2]</c>,
/// written as their (d, h, w) start offsets. It decides which input rows of <c>reduction.weight</c> see which
/// voxel, so weights only work with the order they were trained with. YAML spellings: <c>merging</c>,
/// <c>merging-legacy</c> (or <c>merging_legacy</c>), <c>mergingv2</c>.
/// </summary>
public enum PatchMergingOrder
{
    /// <summary>
    /// MONAI ≥ 1.5 <c>"merging"</c>: (0,0,0), (1,0,0), (0,1,0), (0,0,1), (1,1,0), (1,0,1), (0,1,1), (1,1,1).
    /// </summary>
    Merging,

    /// <summary>
    /// MONAI 0.9–1.4 <c>"merging"</c>: (0,0,0), (1,0,0), (0,1,0), (0,0,1), (1,0,1), (0,1,0), (0,0,1), (1,1,1). It
    /// repeats (0,1,0) and (0,0,1) and never reads (1,1,0) or (0,1,1). Weights trained with those versions (the
    /// SwinUNETR, 3D UX-Net and RepUX-Net papers' baselines, the shared parity fixtures) need it.
    /// </summary>
    MergingLegacy,

    /// <summary>
    /// MONAI <c>"mergingv2"</c>: <c>itertools.product</c> order (0,0,0), (0,0,1), (0,1,0), (0,1,1), (1,0,0), (1,0,1),
    /// (1,1,0), (1,1,1). The member is spelled as MONAI's option value.
    /// </summary>
    Mergingv2,
}
