using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Core.IO;
using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// Writes <c>.nii</c> and <c>.nii.gz</c> files atomically (see <see cref="AtomicFile"/>), little-endian, with the
/// data right after the header and its extensions.
/// <para>
/// Writing a <see cref="NiftiImage"/> keeps its header as is (transforms, codes, intent, description, units,
/// extensions) and only sets what the data determine: dims, datatype, bitpix, vox_offset, and scaling 1/0 (the
/// image's tensor already holds scaled values).
/// </para>
/// <para>
/// Writing a <see cref="Volume"/> uses its source header (when it is a <see cref="NiftiHeader"/>) as the template
/// for everything but the geometry, which comes from the volume's affine: the sform is the affine; the qform is set
/// from it like nibabel's <c>set_qform</c> (voxel sizes, qfac, quaternion of the closest rotation). Codes: the
/// sform keeps the source's <c>sform_code</c>, or takes its <c>qform_code</c>, or 2 (aligned); the qform keeps the
/// source's <c>qform_code</c> or takes the sform's code, but is 0 when the affine has shears the quaternion cannot
/// represent, so every reader sees the same geometry.
/// </para>
/// </summary>
public static class NiftiWriter
{
    /// <summary>NIFTI_XFORM_ALIGNED_ANAT, the code for an affine of unknown provenance (nibabel's default).</summary>
    private const int AlignedCode = 2;

    /// <summary>NIFTI_UNITS_MM.</summary>
    private const int Millimetres = 2;

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> (<c>.nii</c> or <c>.nii.gz</c>).</summary>
    /// <exception cref="ArgumentException">The name is not .nii/.nii.gz, or the values do not fit the chosen datatype.</exception>
    public static void Write(string path, NiftiImage image, NiftiWriteOptions? options = null) =>
        WriteData(path, image.Header, image.Data, options ?? new NiftiWriteOptions());

    /// <summary>
    /// Writes <paramref name="volume"/> (<c>[C, I, J, K]</c>) to <paramref name="path"/>: a 3-D file for one channel,
    /// a 4-D file <c>[I, J, K, C]</c> otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not .nii/.nii.gz, the affine is singular, or the values do not fit the chosen datatype.</exception>
    public static void Write(string path, Volume volume, NiftiWriteOptions? options = null)
    {
        using var scope = NewDisposeScope();
        options ??= new NiftiWriteOptions();
        var template = volume.SourceHeader as NiftiHeader ?? new NiftiHeader { XyztUnits = Millimetres, SclSlope = 1, SclInter = 0 };
        var ijkc = volume.Channels == 1 ? volume.Data.squeeze(0) : volume.Data.permute(1, 2, 3, 0);
        var header = WithGeometry(template with { Version = ChooseVersion(template, ijkc.shape, options, path) }, volume.Affine);
        WriteData(path, header, ijkc, options);
    }

    /// <summary>
    /// The template with sform, qform, pixdim[0..3] and both codes set from <paramref name="affine"/> (see the class
    /// remarks). For a NIfTI-1 template the quaternion is rounded to float32 with <see cref="NiftiQuaternion.ToFloat32"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The affine is singular.</exception>
    public static NiftiHeader WithGeometry(NiftiHeader template, AffineMatrix affine)
    {
        var (b, c, d, qfac, zooms, offset, hasShear) = NiftiQuaternion.FromAffine(affine);
        if (template.Version == 1) (b, c, d) = NiftiQuaternion.ToFloat32(b, c, d);
        var sformCode = NiftiHeader.IsTransformCodeSet(template.SFormCode) ? template.SFormCode
            : NiftiHeader.IsTransformCodeSet(template.QFormCode) ? template.QFormCode
            : AlignedCode;
        var qformCode = hasShear ? 0 : NiftiHeader.IsTransformCodeSet(template.QFormCode) ? template.QFormCode : sformCode;
        var pixdim = template.PixDim.ToArray();
        pixdim[0] = qfac;
        for (var n = 0; n < 3; n++) pixdim[n + 1] = zooms[n];
        var rows = affine.ToRows();
        return template with
        {
            SFormCode = sformCode,
            SRowX = rows[0],
            SRowY = rows[1],
            SRowZ = rows[2],
            QFormCode = qformCode,
            QuaternB = b,
            QuaternC = c,
            QuaternD = d,
            QOffsetX = offset[0],
            QOffsetY = offset[1],
            QOffsetZ = offset[2],
            PixDim = pixdim,
        };
    }

    private static void WriteData(string path, NiftiHeader template, Tensor data, NiftiWriteOptions options)
    {
        if (!NiftiPaths.IsSingleFileName(path))
            throw new ArgumentException($"{path}: NIfTI images are written as .nii or .nii.gz (pairs are read-only)", nameof(path));
        if (data.dim() is < 1 or > 7)
            throw new ArgumentException($"{path}: NIfTI holds 1 to 7 dimensions, the data have {data.dim()}", nameof(data));
        using var scope = NewDisposeScope();
        var type = options.DataType ?? NaturalType(data.dtype, template.DataType);
        var stored = ToStorage(data, type, path);
        var header = Header(template, data.shape, type, options, path);

        var indexOrder = stored.contiguous().view(-1);
        var headerBytes = NiftiHeaderBinary.Serialize(header);
        AtomicFile.Write(path, temporary =>
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            var gzip = NiftiPaths.IsGzipName(path) ? new GZipStream(file, options.Compression, leaveOpen: true) : null;
            using (gzip)
            {
                var stream = (Stream?)gzip ?? file;
                stream.Write(headerBytes);
                WriteExtensions(stream, header);
                WriteVoxels(stream, indexOrder, data.shape, type.Size);
            }
            file.Flush(flushToDisk: true);
        });
    }

    /// <summary>The header to write: the template with the data's dims, datatype, vox_offset, no scaling, single-file magic, little-endian.</summary>
    private static NiftiHeader Header(NiftiHeader template, long[] shape, NiftiDataType type, NiftiWriteOptions options, string path)
    {
        var version = ChooseVersion(template, shape, options, path);
        var dim = new long[8];
        dim[0] = shape.Length;
        for (var n = 1; n < 8; n++) dim[n] = n <= shape.Length ? shape[n - 1] : 1;
        var pixdim = template.PixDim.ToArray();
        // Axes the template did not have get a unit step, as nibabel's set_data_shape does.
        for (var n = Math.Max(template.Rank, 0) + 1; n < 8; n++) pixdim[n] = n <= 3 && pixdim[n] != 0 ? pixdim[n] : 1;
        var header = template with
        {
            Version = version,
            IsBigEndian = false,
            IsPair = false,
            Dim = dim,
            PixDim = pixdim,
            DataTypeCode = type.Code,
            BitPix = (short)(8 * type.Size),
            SclSlope = 1,
            SclInter = 0,
            Description = options.Description ?? template.Description,
        };
        return header with { VoxOffset = header.SizeOfHeader + 4 + header.Extensions.Sum(e => (long)e.SizeOnDisk) };
    }

    /// <summary>The requested version, else the template's, switching to NIfTI-2 when an extent does not fit NIfTI-1.</summary>
    private static int ChooseVersion(NiftiHeader template, long[] shape, NiftiWriteOptions options, string path)
    {
        var fitsNifti1 = shape.All(extent => extent <= short.MaxValue);
        var version = options.Version ?? (template.Version == 2 || !fitsNifti1 ? 2 : 1);
        if (version is not (1 or 2)) throw new ArgumentException($"{path}: NIfTI version must be 1 or 2, not {version}");
        if (version == 1 && !fitsNifti1)
            throw new ArgumentException($"{path}: shape [{string.Join(", ", shape)}] has an extent above 32767, which NIfTI-1 cannot store; write NIfTI-2");
        return version;
    }

    private static NiftiDataType NaturalType(ScalarType tensorType, NiftiDataType? sourceType) =>
        sourceType is { IsUnsigned: true } && sourceType.TensorType == tensorType && sourceType != NiftiDataType.UInt8
            ? sourceType
            : NiftiDataType.ForTensorType(tensorType);

    /// <summary>The data converted to the storage type of <paramref name="type"/> (same bits as the file), after range checks.</summary>
    private static Tensor ToStorage(Tensor data, NiftiDataType type, string path)
    {
        var values = data.dtype == ScalarType.Bool ? data.to(ScalarType.Byte) : data;
        if (!type.IsFloatingPoint)
        {
            if (values.is_floating_point())
            {
                if (values.isnan().any().item<bool>())
                    throw new ArgumentException($"{path}: NaN cannot be stored as {type.Name}");
                values = values.round();
            }
            if (values.numel() > 0)
            {
                var (min, max) = type.Range;
                var low = values.min().to(ScalarType.Float64).item<double>();
                var high = values.max().to(ScalarType.Float64).item<double>();
                if (low < min || high > max)
                    throw new ArgumentException($"{path}: values from {low} to {high} do not fit {type.Name} ({min} to {max})");
            }
            // Unsigned types go through the wider signed type the reader uses, then wrap to the same-size storage type.
            values = values.to(type.TensorType);
        }
        return values.to(type.StorageType);
    }

    private static void WriteExtensions(Stream stream, NiftiHeader header)
    {
        Span<byte> flag = [header.Extensions.Count > 0 ? (byte)1 : (byte)0, 0, 0, 0];
        stream.Write(flag);
        Span<byte> prefix = stackalloc byte[8];
        foreach (var extension in header.Extensions)
        {
            var size = extension.SizeOnDisk;
            BinaryPrimitives.WriteInt32LittleEndian(prefix, size);
            BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], extension.Code);
            stream.Write(prefix);
            stream.Write(extension.Content);
            stream.Write(new byte[size - 8 - extension.Content.Length]);
        }
    }

    /// <summary>Writes the index-ordered voxels in file order, chunk by chunk (see <see cref="NiftiVoxelOrder"/>).</summary>
    private static void WriteVoxels(Stream stream, Tensor indexOrder, long[] shape, int size)
    {
        var (slices, positions) = NiftiVoxelOrder.ChunkSize(shape, size);
        var buffer = new byte[slices * positions * size];
        var windows = NiftiVoxelOrder.Windows(indexOrder, size);
        var sliceCount = shape[^1];
        var perSlice = indexOrder.numel() / sliceCount;
        for (long s0 = 0; s0 < sliceCount; s0 += slices)
        {
            var kb = (int)Math.Min(slices, sliceCount - s0);
            for (long p0 = 0; p0 < perSlice; p0 += positions)
            {
                var pl = (int)Math.Min(positions, perSlice - p0);
                var chunk = buffer.AsSpan(0, kb * pl * size);
                foreach (var (start, view) in windows)
                    NiftiVoxelOrder.Transfer(chunk, shape, s0, kb, p0, pl, view.bytes, start, size, toFile: true);
                stream.Write(chunk);
            }
        }
    }
}
