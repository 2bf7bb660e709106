using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Data;

/// <summary>
/// One image with its label map, in the dataset's own voxel grid.
/// <c>Image</c> is float32 [C, D, H, W]; <c>Label</c> is int64 [D, H, W] with class indices into the dataset's
/// <see cref="ISegmentationDataset.ClassNames"/> (0 = background). <c>Spacing</c> is in millimetres per axis (D, H, W).
/// The case owns its tensors: dispose it when done.
/// </summary>
public sealed class SegmentationCase(string id, Tensor image, Tensor? label, double[] spacing) : IDisposable
{
    /// <summary>Case identifier, unique within the dataset.</summary>
    public string Id { get; } = id;

    /// <summary>float32 [C, D, H, W].</summary>
    public Tensor Image { get; } = image;

    /// <summary>int64 [D, H, W] class indices, or null for unlabelled cases.</summary>
    public Tensor? Label { get; } = label;

    /// <summary>Voxel spacing in millimetres, per spatial axis (D, H, W).</summary>
    public double[] Spacing { get; } = spacing;

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Label?.Dispose();
    }
}
