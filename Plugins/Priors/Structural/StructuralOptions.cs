using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Priors.Structural;

/// <summary>Options of the <c>structural</c> prior (YAML keys are the snake_case property names).</summary>
public sealed class StructuralOptions : IValidatableOptions, IKernelLayerSelection
{
    /// <summary>
    /// Odd kernel sizes of the parallel small-kernel branches, each with its own BatchNorm (default [3, 5, 7]). Each
    /// must be smaller than every selected layer's kernel, which <see cref="MinKernelSize"/> guarantees.
    /// </summary>
    [Description("Odd kernel sizes of the parallel small depthwise branches (each with its own BatchNorm); default [3, 5, 7].")]
    public int[] KernelSizes { get; set; } = { 3, 5, 7 };

    /// <summary>
    /// Depthwise layers with a kernel of at least this size get the branches (default 9). Must exceed every entry of
    /// <see cref="KernelSizes"/>, so each branch fits inside the kernel it folds into: RepUX-Net's 21³ kernels take
    /// the defaults; for 7³ kernels use e.g. kernel_sizes [3, 5] with min_kernel_size 7.
    /// </summary>
    [Description("Depthwise layers whose kernel size is at least this get the branches; must exceed every kernel_sizes entry; default 9.")]
    public int MinKernelSize { get; set; } = 9;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (KernelSizes is null || KernelSizes.Length == 0)
        {
            yield return ("kernel_sizes", "must list at least one odd kernel size, e.g. [3, 5, 7].");
            yield break;
        }
        var invalid = KernelSizes.Where(size => size <= 0 || size % 2 == 0).ToList();
        if (invalid.Count > 0)
            yield return ("kernel_sizes", $"every entry must be a positive odd number, got [{string.Join(", ", KernelSizes)}].");
        if (KernelSizes.Distinct().Count() != KernelSizes.Length)
            yield return ("kernel_sizes", $"entries must be distinct, got [{string.Join(", ", KernelSizes)}].");
        if (MinKernelSize <= KernelSizes.Max())
            yield return ("min_kernel_size",
                $"must exceed every kernel_sizes entry (largest {KernelSizes.Max()}) so each branch folds into the layer's kernel, got {MinKernelSize}.");
    }
}
