using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Data;

/// <summary>
/// One image with its label map, in the dataset's own voxel grid.
/// <c>Image</c> is float32 [C, D, H, W]; <c>Label</c> is int64 [D, H, W] with class indices into the dataset's
/// <see cref="ISegmentationDataset.ClassNames"/> (0 = background). <c>Spacing</c> is in millimetres per axis (D, H, W).
/// Cases read from files also carry the voxel-to-world <c>Affine</c> of their grid (the spatial axes being the file's
/// i, j, k), so predictions can be written back with the source geometry.
/// The case owns its tensors: dispose it when done.
/// </summary>
public sealed class SegmentationCase(string id, Tensor image, Tensor? label, double[] spacing, AffineMatrix? affine = null,
    IReadOnlyList<IInvertibleOperation>? preprocessing = null, object? sourceHeader = null) : IDisposable
{
    /// <summary>Case identifier, unique within the dataset.</summary>
    public string Id { get; } = id;

    /// <summary>float32 [C, D, H, W].</summary>
    public Tensor Image { get; } = image;

    /// <summary>int64 [D, H, W] class indices, or null for unlabelled cases.</summary>
    public Tensor? Label { get; } = label;

    /// <summary>Voxel spacing in millimetres, per spatial axis (D, H, W).</summary>
    public double[] Spacing { get; } = spacing;

    /// <summary>Voxel-to-world affine of the case's grid, or null for generated cases without one.</summary>
    public AffineMatrix? Affine { get; } = affine;

    /// <summary>
    /// The geometric preprocessing applied since the case was read (reorientation, resampling, crops), newest last;
    /// undoing it takes a prediction back to the source file's grid. Empty when nothing changed the grid.
    /// </summary>
    public IReadOnlyList<IInvertibleOperation> Preprocessing { get; } = preprocessing ?? [];

    /// <summary>The header of the source image file (e.g. a NIfTI header), so predictions can be written with its codes.</summary>
    public object? SourceHeader { get; } = sourceHeader;

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Label?.Dispose();
    }
}
