namespace Pipeline.Core.Inference;

/// <summary>How the outputs of overlapping sliding windows are combined (MONAI's <c>BlendMode</c>).</summary>
public enum BlendMode
{
    /// <summary>Every voxel of a window weighs the same: overlapping outputs are averaged.</summary>
    Constant,

    /// <summary>
    /// Voxels weigh by a Gaussian centred on the window (σ = sigma_scale × ROI per axis), so window borders, where the
    /// network sees the least context, count less (see <see cref="ImportanceMap"/>).
    /// </summary>
    Gaussian,
}
