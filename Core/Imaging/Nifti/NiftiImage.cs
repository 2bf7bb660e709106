using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// A NIfTI image in memory: its header and its voxels as a contiguous tensor in NIfTI index order
/// <c>[I, J, K, T, ...]</c> (one axis per <c>dim[1..dim[0]]</c>, not reversed), already scaled when the header
/// asks for it (see <see cref="NiftiReader"/>), plus the affine chosen by nibabel's rule. The image owns its tensor.
/// </summary>
public sealed class NiftiImage : IDisposable
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) with <paramref name="header"/>; the affine is the header's <see cref="NiftiHeader.BestAffine"/>.</summary>
    /// <param name="header">The header; its <see cref="NiftiHeader.Shape"/> must equal the tensor's shape.</param>
    /// <param name="data">Voxels <c>[I, J, K, ...]</c>.</param>
    /// <param name="sourcePath">The file the image came from, for messages; null for images built in memory.</param>
    /// <exception cref="ArgumentException">The tensor's shape differs from the header's.</exception>
    /// <exception cref="NiftiFormatException">The header's chosen transform is not finite.</exception>
    public NiftiImage(NiftiHeader header, Tensor data, string? sourcePath = null)
        : this(header, data, header.BestAffine(sourcePath ?? "<header>"), sourcePath)
    {
    }

    internal NiftiImage(NiftiHeader header, Tensor data, AffineMatrix affine, string? sourcePath)
    {
        if (!data.shape.SequenceEqual(header.Shape))
            throw new ArgumentException($"the data shape [{string.Join(", ", data.shape)}] differs from the header's dim [{string.Join(", ", header.Shape)}]", nameof(data));
        Header = header;
        Data = data;
        Affine = affine;
        SourcePath = sourcePath;
    }

    /// <summary>The header as read (or as given).</summary>
    public NiftiHeader Header { get; }

    /// <summary>The voxels, <c>[I, J, K, T, ...]</c>, contiguous.</summary>
    public Tensor Data { get; }

    /// <summary>Voxel (i, j, k) → world millimetres (RAS+), by nibabel's rule (see <see cref="NiftiHeader.BestAffine"/>).</summary>
    public AffineMatrix Affine { get; }

    /// <summary>Which header fields <see cref="Affine"/> comes from.</summary>
    public NiftiAffineSource AffineSource => Header.AffineSource;

    /// <summary>The file the image was read from, or null.</summary>
    public string? SourcePath { get; }

    /// <summary>The shape, <c>dim[1..dim[0]]</c>.</summary>
    public long[] Shape => Data.shape;

    /// <summary>
    /// A <see cref="Volume"/> <c>[C, I, J, K]</c> of <paramref name="dtype"/> on the same grid, with this header as
    /// its <see cref="Volume.SourceHeader"/>. A 3-D image gives one channel; for a 4-D image the fourth axis (time
    /// or modality) becomes the channels; axes beyond the fourth are flattened into the channels with the last axis
    /// varying fastest (channel = t · U + u for a 5-D image [I, J, K, T, U]). 1-D and 2-D images get extents of 1
    /// for the missing spatial axes. The volume owns a new tensor; this image stays valid.
    /// </summary>
    public Volume ToVolume(ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var shape = Data.shape;
        var spatial = new long[3];
        for (var n = 0; n < 3; n++) spatial[n] = n < shape.Length ? shape[n] : 1;
        var channels = shape.Skip(3).Aggregate(1L, (product, extent) => product * extent);
        var cijk = Data.reshape(spatial[0], spatial[1], spatial[2], channels).permute(3, 0, 1, 2);
        Tensor result;
        if (Data.dtype != dtype) result = cijk.to(dtype).contiguous();
        // With one channel the permuted view is already contiguous and would share this image's storage.
        else result = channels == 1 ? cijk.clone() : cijk.contiguous();
        return new Volume(result.MoveToOuterDisposeScope(), Affine, Header);
    }

    /// <inheritdoc />
    public void Dispose() => Data.Dispose();
}
