using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// Malformed files raise a <see cref="NiftiFormatException"/> naming the file and the field, never a crash or
/// silently wrong data. Each case starts from a valid little-endian NIfTI-1 image (int16, 3×4×5, qform and sform
/// codes 2) and breaks one thing.
/// </summary>
public sealed class NiftiBadFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nifti-bad-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A valid image's bytes (uncompressed) and its voxel values.</summary>
    private byte[] ValidBytes(ScalarType type = ScalarType.Int16)
    {
        var path = Path.Combine(_folder, $"valid-{type}.nii");
        using (var volume = new Volume(arange(60, dtype: type).reshape(1, 3, 4, 5), AffineMatrix.FromDiagonal(2, 3, 4, 10, 20, 30)))
            NiftiWriter.Write(path, volume);
        return File.ReadAllBytes(path);
    }

    private string Save(string name, byte[] bytes, bool gzip = false)
    {
        var path = Path.Combine(_folder, name + (gzip ? ".nii.gz" : ".nii"));
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return path;
        }
        using var file = File.Create(path);
        using var compressor = new GZipStream(file, CompressionLevel.Optimal);
        compressor.Write(bytes);
        return path;
    }

    private static NiftiFormatException Fails(string path, string field)
    {
        var error = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read(path).Dispose());
        Assert.Equal(path, error.FilePath);
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"{path}: {field}: ", error.Message);
        return error;
    }

    private static byte[] With(byte[] bytes, Action<Span<byte>> change)
    {
        var copy = (byte[])bytes.Clone();
        change(copy);
        return copy;
    }

    [Fact]
    public void TheUnbrokenFileReads()
    {
        var path = Save("valid", ValidBytes(), gzip: true);
        using var image = NiftiReader.Read(path);
        Assert.Equal([3L, 4, 5], image.Shape);
        Assert.Equal(59, image.Data.max().item<short>());
    }

    [Fact]
    public void TruncatedDataInAPlainFileIsRejectedBeforeReading()
    {
        var bytes = ValidBytes();
        var error = Fails(Save("truncated", bytes[..^10]), "dim");
        Assert.Contains("needs 120 bytes", error.Message);
    }

    [Fact]
    public void TruncatedDataInAGzipStreamIsReportedWhereItEnds()
    {
        var bytes = ValidBytes();
        var error = Fails(Save("truncated", bytes[..^10], gzip: true), "data");
        Assert.Contains("ends after 110", error.Message);
    }

    [Fact]
    public void AGzipFileCutShortIsAnError()
    {
        var path = Save("cut", ValidBytes(), gzip: true);
        var compressed = File.ReadAllBytes(path);
        File.WriteAllBytes(path, compressed[..(compressed.Length - 30)]);
        var error = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read(path).Dispose());
        Assert.Equal(path, error.FilePath);
        Assert.Contains(error.Field, new[] { "data", "gzip" });
    }

    [Fact]
    public void DimensionsBeyondTheFileAreRejected()
    {
        var bytes = With(ValidBytes(), b => BinaryPrimitives.WriteInt16LittleEndian(b[44..], 6)); // dim[2] 4 -> 6
        Fails(Save("dims", bytes), "dim");
        Fails(Save("dims", bytes, gzip: true), "data");
    }

    [Fact]
    public void DimensionsNoGzipFileCouldHoldFailBeforeAllocating()
    {
        var bytes = With(ValidBytes(), b =>
        {
            for (var n = 1; n <= 3; n++) BinaryPrimitives.WriteInt16LittleEndian(b[(40 + 2 * n)..], 30000);
        });
        var error = Fails(Save("huge", bytes, gzip: true), "dim");
        Assert.Contains("cannot decompress to more than", error.Message);
    }

    [Theory]
    [InlineData(349)]
    [InlineData(0)]
    [InlineData(540 << 8)]
    public void WrongSizeofHdrIsNotNifti(int size)
    {
        var bytes = With(ValidBytes(), b => BinaryPrimitives.WriteInt32LittleEndian(b, size));
        var error = Fails(Save("sizeof", bytes), "sizeof_hdr");
        Assert.Contains("348 (NIfTI-1) or 540 (NIfTI-2)", error.Message);
    }

    [Theory]
    [InlineData(3, "unknown datatype code 3")]
    [InlineData(32, "complex64")]
    [InlineData(128, "rgb24")]
    public void UnknownOrUnsupportedDatatype(short code, string expected)
    {
        var bytes = With(ValidBytes(), b => BinaryPrimitives.WriteInt16LittleEndian(b[70..], code));
        Assert.Contains(expected, Fails(Save("datatype", bytes), "datatype").Message);
    }

    [Fact]
    public void CorruptGzipIsAnError()
    {
        var path = Save("corrupt", ValidBytes(ScalarType.Float64), gzip: true);
        var compressed = File.ReadAllBytes(path);
        // Flip bytes in the compressed voxel data (the end of the deflate stream, before the 8-byte trailer).
        for (var n = compressed.Length - 40; n < compressed.Length - 32; n++) compressed[n] ^= 0x5A;
        File.WriteAllBytes(path, compressed);
        var error = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read(path).Dispose());
        Assert.Equal(path, error.FilePath);
        // Depending on where the flipped bytes land, the decoder stops early (data) or detects bad data or CRC (gzip).
        Assert.Contains(error.Field, new[] { "gzip", "data" });
    }

    [Fact]
    public void AChecksumMismatchInTheGzipTrailerIsCaughtEvenWhenTheDataDecodes()
    {
        var path = Save("crc", ValidBytes(), gzip: true);
        var compressed = File.ReadAllBytes(path);
        compressed[^8] ^= 0xFF; // first byte of the CRC-32
        File.WriteAllBytes(path, compressed);
        Fails(path, "gzip");
    }

    [Fact]
    public void NonGzipBytesAfterAGzipMagicAreAnError()
    {
        var bytes = new byte[400];
        bytes[0] = 0x1F;
        bytes[1] = 0x8B;
        Fails(Save("fake-gzip", bytes), "gzip");
    }

    [Fact]
    public void NaNInTheChosenSformIsAnError()
    {
        var bytes = With(ValidBytes(), b => BinaryPrimitives.WriteSingleLittleEndian(b[(296 + 4)..], float.NaN)); // srow_y[1]
        Assert.Contains("sform_code 2", Fails(Save("nan-sform", bytes), "srow_y").Message);
    }

    [Fact]
    public void InfinityInTheChosenQformIsAnError()
    {
        var bytes = With(ValidBytes(), b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b[254..], 0); // sform_code 0: the qform is used
            BinaryPrimitives.WriteSingleLittleEndian(b[268..], float.PositiveInfinity); // qoffset_x
        });
        Fails(Save("inf-qform", bytes), "qoffset_x");
    }

    [Fact]
    public void ANonUnitQuaternionIsAnError()
    {
        var bytes = With(ValidBytes(), b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b[254..], 0);
            for (var n = 0; n < 3; n++) BinaryPrimitives.WriteSingleLittleEndian(b[(256 + 4 * n)..], 0.9f);
        });
        Assert.Contains("exceeds 1", Fails(Save("quaternion", bytes), "quatern_b/c/d").Message);
    }

    [Fact]
    public void NaNVoxelSizeIsAnErrorWhenItDefinesTheAffine()
    {
        var bytes = With(ValidBytes(), b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b[252..], 0);
            BinaryPrimitives.WriteInt16LittleEndian(b[254..], 0);
            BinaryPrimitives.WriteSingleLittleEndian(b[(76 + 8)..], float.NaN); // pixdim[2]
        });
        Fails(Save("nan-pixdim", bytes), "pixdim[2]");
    }

    [Fact]
    public void NaNInATransformThatIsNotUsedIsHarmless()
    {
        var bytes = With(ValidBytes(), b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b[254..], 0); // sform unused
            BinaryPrimitives.WriteSingleLittleEndian(b[280..], float.NaN);
        });
        using var image = NiftiReader.Read(Save("nan-unused", bytes));
        Assert.Equal(NiftiAffineSource.QForm, image.AffineSource);
        Assert.Equal(AffineMatrix.FromDiagonal(2, 3, 4, 10, 20, 30).ToRowMajor(), image.Affine.ToRowMajor().Select(v => Math.Round(v, 5)).ToArray());
    }

    [Theory]
    [InlineData(0, 0, "dim[0]")]
    [InlineData(0, 8, "dim[0]")]
    [InlineData(0, -3, "dim[0]")]
    [InlineData(2, -4, "dim[2]")]
    [InlineData(3, 0, "dim[3]")]
    public void InvalidDimensions(int index, short value, string field)
    {
        var bytes = With(ValidBytes(), b => BinaryPrimitives.WriteInt16LittleEndian(b[(40 + 2 * index)..], value));
        Fails(Save("dim", bytes), field);
    }

    [Theory]
    [InlineData(348f)]
    [InlineData(0f)]
    [InlineData(352.5f)]
    [InlineData(-16f)]
    [InlineData(1e9f)]
    public void VoxOffsetOutsideTheFileOrInsideTheHeader(float offset)
    {
        var bytes = With(ValidBytes(), b => BinaryPrimitives.WriteSingleLittleEndian(b[108..], offset));
        Fails(Save("offset", bytes), "vox_offset");
    }

    [Theory]
    [InlineData("n+3\0")]
    [InlineData("abc\0")]
    [InlineData("\0\0\0\0")]
    public void WrongMagic(string magic)
    {
        var bytes = With(ValidBytes(), b => System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(b[344..]));
        Assert.Contains("NIfTI-1", Fails(Save("magic", bytes), "magic").Message);
    }

    [Fact]
    public void TruncatedOrEmptyHeader()
    {
        var bytes = ValidBytes();
        Fails(Save("short-header", bytes[..100]), "header");
        Fails(Save("empty", []), "sizeof_hdr");
        Fails(Save("short-header-gz", bytes[..200], gzip: true), "header");
    }

    [Fact]
    public void AnExtensionLargerThanTheSpaceBeforeTheDataIsAnError()
    {
        var bytes = ValidBytes();
        var withExtension = new byte[bytes.Length + 16];
        bytes.AsSpan(0, 348).CopyTo(withExtension);
        withExtension[348] = 1; // extensions follow
        BinaryPrimitives.WriteInt32LittleEndian(withExtension.AsSpan(352), 64); // esize 64, but only 16 bytes before the data
        BinaryPrimitives.WriteInt32LittleEndian(withExtension.AsSpan(356), 6);
        bytes.AsSpan(352).CopyTo(withExtension.AsSpan(368));
        BinaryPrimitives.WriteSingleLittleEndian(withExtension.AsSpan(108), 368);
        Assert.Contains("esize 64", Fails(Save("extension", withExtension), "extension").Message);
    }

    [Fact]
    public void ZeroPaddingAfterExtensionsIsAGapNotAnExtension()
    {
        var bytes = ValidBytes();
        var padded = new byte[bytes.Length + 48];
        bytes.AsSpan(0, 348).CopyTo(padded);
        padded[348] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(padded.AsSpan(352), 16);
        BinaryPrimitives.WriteInt32LittleEndian(padded.AsSpan(356), 6);
        "hi!\0"u8.CopyTo(padded.AsSpan(360));
        bytes.AsSpan(352).CopyTo(padded.AsSpan(400)); // 32 zero bytes between the extension and the data
        BinaryPrimitives.WriteSingleLittleEndian(padded.AsSpan(108), 400);
        using var image = NiftiReader.Read(Save("gap", padded));
        Assert.Equal(6, Assert.Single(image.Header.Extensions).Code);
        Assert.Equal(59, image.Data.max().item<short>());
    }

    [Fact]
    public void Uint64ValuesAboveTheInt64RangeAreAnError()
    {
        var bytes = With(ValidBytes(ScalarType.Int64), b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b[70..], NiftiDataType.UInt64.Code);
            b[352 + 7] = 0x80; // first voxel = 2^63
        });
        Assert.Contains("2^63", Fails(Save("uint64", bytes), "datatype").Message);
    }

    [Fact]
    public void ASlopeWithANonFiniteInterceptIsAnError()
    {
        var bytes = With(ValidBytes(), b =>
        {
            BinaryPrimitives.WriteSingleLittleEndian(b[112..], 2f);
            BinaryPrimitives.WriteSingleLittleEndian(b[116..], float.NaN);
        });
        Fails(Save("inter", bytes), "scl_inter");
    }

    [Fact]
    public void APairWithoutItsDataFileIsNotFound()
    {
        var header = Path.Combine(_folder, "lonely.hdr");
        File.WriteAllBytes(header, ValidBytes()[..348]);
        var error = Assert.Throws<FileNotFoundException>(() => NiftiReader.Read(header).Dispose());
        Assert.Contains("lonely.img", error.Message);
    }
}
