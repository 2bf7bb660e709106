using Pipeline.Core.Data;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Core.Imaging;

/// <summary>
/// Reads image files by their extension: NIfTI-1/2 (<c>.nii</c>, <c>.nii.gz</c>, <c>.hdr</c>/<c>.img</c>). The
/// volumes keep the file's index order and its affine by nibabel's rule; the header travels with the volume.
/// </summary>
public sealed class VolumeFileReader : IVolumeFileReader
{
    /// <inheritdoc />
    public VolumeHeader ReadHeader(string path)
    {
        RequireSupported(path);
        var header = NiftiReader.ReadHeader(path);
        return new VolumeHeader(header.Shape, header.BestAffine(path), header.DataType?.Name ?? $"code {header.DataTypeCode}");
    }

    /// <inheritdoc />
    public Volume Read(string path)
    {
        RequireSupported(path);
        using var image = NiftiReader.Read(path);
        return image.ToVolume(ScalarType.Float32);
    }

    private static void RequireSupported(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (!(name.EndsWith(".nii") || name.EndsWith(".nii.gz") || name.EndsWith(".hdr") || name.EndsWith(".img")))
            throw new NotSupportedException($"{path}: unsupported image format; NIfTI (.nii, .nii.gz, .hdr/.img) is read");
    }
}
