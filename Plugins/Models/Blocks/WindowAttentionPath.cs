namespace Pipeline.Plugins.Models.Blocks;

/// <summary>How <see cref="WindowAttention"/> computes softmax(Q·Kᵀ·scale + bias + mask)·V; both give the same result.</summary>
public enum WindowAttentionPath
{
    /// <summary>
    /// libtorch's fused <c>scaled_dot_product_attention</c>, with the relative-position bias and the shifted-window
    /// mask added as one float mask (default; faster and lighter on memory).
    /// </summary>
    ScaledDotProduct,

    /// <summary>MONAI's explicit sequence: scale Q, Q·Kᵀ, add bias and mask, softmax, attention dropout, ·V.</summary>
    Explicit,
}
