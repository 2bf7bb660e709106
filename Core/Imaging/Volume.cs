using static TorchSharp.torch;

namespace Pipeline.Core.Imaging;

/// <summary>
/// A medical image in memory: a tensor laid out <c>[C, I, J, K]</c> (channels first, then the three spatial index
/// axes in the file's index order, i.e. NIfTI's i, j, k, not reversed), the affine mapping voxel (i, j, k) to world
/// millimetres (RAS+), and the header of the file it came from so a writer can keep its codes and extensions.
/// The volume owns its tensor: dispose it when done. Operations that change the grid return a new volume whose affine
/// describes the new grid exactly.
/// </summary>
public sealed class Volume : IDisposable
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) with its geometry.</summary>
    /// <param name="data">Tensor <c>[C, I, J, K]</c> of any dtype (float32 for images, an integer type for labels).</param>
    /// <param name="affine">Voxel-to-world affine of the spatial axes.</param>
    /// <param name="sourceHeader">The format header the volume was read from (e.g. a NIfTI header), or null.</param>
    /// <exception cref="ArgumentException">The tensor is not 4-D.</exception>
    public Volume(Tensor data, AffineMatrix affine, object? sourceHeader = null)
    {
        if (data.dim() != 4)
            throw new ArgumentException($"a volume tensor must be [C, I, J, K] (4-D), got shape [{string.Join(", ", data.shape)}]", nameof(data));
        Data = data;
        Affine = affine;
        SourceHeader = sourceHeader;
    }

    /// <summary>The voxel data, <c>[C, I, J, K]</c>.</summary>
    public Tensor Data { get; }

    /// <summary>Voxel (i, j, k) → world (x, y, z) in millimetres, RAS+.</summary>
    public AffineMatrix Affine { get; }

    /// <summary>The header of the source file (format-specific, e.g. <c>NiftiHeader</c>), or null for computed volumes.</summary>
    public object? SourceHeader { get; }

    /// <summary>Number of channels (modalities or, for 4-D files, time points).</summary>
    public int Channels => (int)Data.shape[0];

    /// <summary>Spatial shape (I, J, K).</summary>
    public long[] SpatialShape => [Data.shape[1], Data.shape[2], Data.shape[3]];

    /// <summary>Voxel size in millimetres along I, J, K (column norms of the affine).</summary>
    public double[] Spacing => Affine.Spacing();

    /// <summary>A new volume on the same grid with other data (takes ownership of <paramref name="data"/>).</summary>
    public Volume WithData(Tensor data) => new(data, Affine, SourceHeader);

    /// <inheritdoc />
    public void Dispose() => Data.Dispose();
}
