using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// The on-disk layout of the NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers: version and byte order detection
/// from <c>sizeof_hdr</c>, parsing every field in the file's byte order, and serialising a <see cref="NiftiHeader"/>
/// back (little-endian or big-endian). Extensions are not part of these bytes; see <see cref="NiftiReader"/>.
/// </summary>
public static class NiftiHeaderBinary
{
    /// <summary>Size of the NIfTI-1 header.</summary>
    public const int Nifti1Size = 348;

    /// <summary>Size of the NIfTI-2 header.</summary>
    public const int Nifti2Size = 540;

    /// <summary>
    /// Reads <c>sizeof_hdr</c> from the first four bytes: 348 means NIfTI-1, 540 NIfTI-2, in whichever byte order
    /// gives one of those values.
    /// </summary>
    /// <exception cref="NiftiFormatException">Neither byte order gives 348 or 540.</exception>
    public static (int Version, bool BigEndian) DetectVersion(ReadOnlySpan<byte> first4, string filePath)
    {
        var little = BinaryPrimitives.ReadInt32LittleEndian(first4);
        var big = BinaryPrimitives.ReadInt32BigEndian(first4);
        if (little == Nifti1Size) return (1, false);
        if (big == Nifti1Size) return (1, true);
        if (little == Nifti2Size) return (2, false);
        if (big == Nifti2Size) return (2, true);
        throw new NiftiFormatException(filePath, "sizeof_hdr",
            $"expected 348 (NIfTI-1) or 540 (NIfTI-2) in either byte order, found {little} (little-endian) / {big} (big-endian); this is not a NIfTI file");
    }

    /// <summary>Parses a whole header (348 or 540 bytes as given by <see cref="DetectVersion"/>), checking the magic string.</summary>
    /// <exception cref="NiftiFormatException">The magic string is not <c>n+1</c>/<c>ni1</c> (or <c>n+2</c>/<c>ni2</c> for NIfTI-2).</exception>
    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, string filePath)
    {
        var (version, bigEndian) = DetectVersion(bytes, filePath);
        var reader = new FieldReader(bytes.ToArray(), bigEndian);
        return version == 1 ? ParseNifti1(reader, filePath) : ParseNifti2(reader, filePath);
    }

    private static NiftiHeader ParseNifti1(FieldReader f, string filePath) => new()
    {
        Version = 1,
        IsBigEndian = f.BigEndian,
        IsPair = Magic(f.Bytes.AsSpan(344, 4), 1, filePath),
        DimInfo = f.Bytes[39],
        Dim = Enumerable.Range(0, 8).Select(n => (long)f.Int16(40 + 2 * n)).ToArray(),
        IntentP1 = f.Float32(56),
        IntentP2 = f.Float32(60),
        IntentP3 = f.Float32(64),
        IntentCode = f.Int16(68),
        DataTypeCode = f.Int16(70),
        BitPix = f.Int16(72),
        SliceStart = f.Int16(74),
        PixDim = Enumerable.Range(0, 8).Select(n => (double)f.Float32(76 + 4 * n)).ToArray(),
        VoxOffset = VoxOffset1(f.Float32(108), filePath),
        SclSlope = f.Float32(112),
        SclInter = f.Float32(116),
        SliceEnd = f.Int16(120),
        SliceCode = f.Bytes[122],
        XyztUnits = f.Bytes[123],
        CalMax = f.Float32(124),
        CalMin = f.Float32(128),
        SliceDuration = f.Float32(132),
        TOffset = f.Float32(136),
        Description = Text(f.Bytes.AsSpan(148, 80)),
        AuxFile = Text(f.Bytes.AsSpan(228, 24)),
        QFormCode = f.Int16(252),
        SFormCode = f.Int16(254),
        QuaternB = f.Float32(256),
        QuaternC = f.Float32(260),
        QuaternD = f.Float32(264),
        QOffsetX = f.Float32(268),
        QOffsetY = f.Float32(272),
        QOffsetZ = f.Float32(276),
        SRowX = Enumerable.Range(0, 4).Select(n => (double)f.Float32(280 + 4 * n)).ToArray(),
        SRowY = Enumerable.Range(0, 4).Select(n => (double)f.Float32(296 + 4 * n)).ToArray(),
        SRowZ = Enumerable.Range(0, 4).Select(n => (double)f.Float32(312 + 4 * n)).ToArray(),
        IntentName = Text(f.Bytes.AsSpan(328, 16)),
    };

    private static NiftiHeader ParseNifti2(FieldReader f, string filePath) => new()
    {
        Version = 2,
        IsBigEndian = f.BigEndian,
        IsPair = Magic(f.Bytes.AsSpan(4, 8), 2, filePath),
        DataTypeCode = f.Int16(12),
        BitPix = f.Int16(14),
        Dim = Enumerable.Range(0, 8).Select(n => f.Int64(16 + 8 * n)).ToArray(),
        IntentP1 = f.Float64(80),
        IntentP2 = f.Float64(88),
        IntentP3 = f.Float64(96),
        PixDim = Enumerable.Range(0, 8).Select(n => f.Float64(104 + 8 * n)).ToArray(),
        VoxOffset = f.Int64(168),
        SclSlope = f.Float64(176),
        SclInter = f.Float64(184),
        CalMax = f.Float64(192),
        CalMin = f.Float64(200),
        SliceDuration = f.Float64(208),
        TOffset = f.Float64(216),
        SliceStart = f.Int64(224),
        SliceEnd = f.Int64(232),
        Description = Text(f.Bytes.AsSpan(240, 80)),
        AuxFile = Text(f.Bytes.AsSpan(320, 24)),
        QFormCode = f.Int32(344),
        SFormCode = f.Int32(348),
        QuaternB = f.Float64(352),
        QuaternC = f.Float64(360),
        QuaternD = f.Float64(368),
        QOffsetX = f.Float64(376),
        QOffsetY = f.Float64(384),
        QOffsetZ = f.Float64(392),
        SRowX = Enumerable.Range(0, 4).Select(n => f.Float64(400 + 8 * n)).ToArray(),
        SRowY = Enumerable.Range(0, 4).Select(n => f.Float64(432 + 8 * n)).ToArray(),
        SRowZ = Enumerable.Range(0, 4).Select(n => f.Float64(464 + 8 * n)).ToArray(),
        SliceCode = f.Int32(496),
        XyztUnits = f.Int32(500),
        IntentCode = f.Int32(504),
        IntentName = Text(f.Bytes.AsSpan(508, 16)),
        DimInfo = f.Bytes[524],
    };

    /// <summary>Serialises <paramref name="header"/> (without extensions) in its version and byte order.</summary>
    /// <exception cref="ArgumentException">A value does not fit the NIfTI-1 field (e.g. a dimension above 32767).</exception>
    public static byte[] Serialize(NiftiHeader header)
    {
        var bytes = new byte[header.SizeOfHeader];
        var w = new FieldWriter(bytes, header.IsBigEndian);
        if (header.Version == 1) SerializeNifti1(header, w);
        else SerializeNifti2(header, w);
        return bytes;
    }

    private static void SerializeNifti1(NiftiHeader h, FieldWriter w)
    {
        w.Int32(0, Nifti1Size);
        w.Bytes[38] = (byte)'r'; // Analyze "regular", set by every NIfTI writer
        w.Bytes[39] = h.DimInfo;
        for (var n = 0; n < 8; n++) w.Int16(40 + 2 * n, CheckedInt16(h.Dim[n], $"dim[{n}]"));
        w.Float32(56, h.IntentP1);
        w.Float32(60, h.IntentP2);
        w.Float32(64, h.IntentP3);
        w.Int16(68, CheckedInt16(h.IntentCode, "intent_code"));
        w.Int16(70, h.DataTypeCode);
        w.Int16(72, h.BitPix);
        w.Int16(74, CheckedInt16(h.SliceStart, "slice_start"));
        for (var n = 0; n < 8; n++) w.Float32(76 + 4 * n, h.PixDim[n]);
        w.Float32(108, h.VoxOffset);
        w.Float32(112, h.SclSlope);
        w.Float32(116, h.SclInter);
        w.Int16(120, CheckedInt16(h.SliceEnd, "slice_end"));
        w.Bytes[122] = CheckedByte(h.SliceCode, "slice_code");
        w.Bytes[123] = CheckedByte(h.XyztUnits, "xyzt_units");
        w.Float32(124, h.CalMax);
        w.Float32(128, h.CalMin);
        w.Float32(132, h.SliceDuration);
        w.Float32(136, h.TOffset);
        WriteText(w.Bytes.AsSpan(148, 80), h.Description);
        WriteText(w.Bytes.AsSpan(228, 24), h.AuxFile);
        w.Int16(252, CheckedInt16(h.QFormCode, "qform_code"));
        w.Int16(254, CheckedInt16(h.SFormCode, "sform_code"));
        w.Float32(256, h.QuaternB);
        w.Float32(260, h.QuaternC);
        w.Float32(264, h.QuaternD);
        w.Float32(268, h.QOffsetX);
        w.Float32(272, h.QOffsetY);
        w.Float32(276, h.QOffsetZ);
        for (var n = 0; n < 4; n++)
        {
            w.Float32(280 + 4 * n, h.SRowX[n]);
            w.Float32(296 + 4 * n, h.SRowY[n]);
            w.Float32(312 + 4 * n, h.SRowZ[n]);
        }
        WriteText(w.Bytes.AsSpan(328, 16), h.IntentName);
        Encoding.ASCII.GetBytes(h.IsPair ? "ni1\0" : "n+1\0").CopyTo(w.Bytes, 344);
    }

    private static void SerializeNifti2(NiftiHeader h, FieldWriter w)
    {
        w.Int32(0, Nifti2Size);
        new byte[] { (byte)'n', (byte)(h.IsPair ? 'i' : '+'), (byte)'2', 0, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(w.Bytes, 4);
        w.Int16(12, h.DataTypeCode);
        w.Int16(14, h.BitPix);
        for (var n = 0; n < 8; n++) w.Int64(16 + 8 * n, h.Dim[n]);
        w.Float64(80, h.IntentP1);
        w.Float64(88, h.IntentP2);
        w.Float64(96, h.IntentP3);
        for (var n = 0; n < 8; n++) w.Float64(104 + 8 * n, h.PixDim[n]);
        w.Int64(168, h.VoxOffset);
        w.Float64(176, h.SclSlope);
        w.Float64(184, h.SclInter);
        w.Float64(192, h.CalMax);
        w.Float64(200, h.CalMin);
        w.Float64(208, h.SliceDuration);
        w.Float64(216, h.TOffset);
        w.Int64(224, h.SliceStart);
        w.Int64(232, h.SliceEnd);
        WriteText(w.Bytes.AsSpan(240, 80), h.Description);
        WriteText(w.Bytes.AsSpan(320, 24), h.AuxFile);
        w.Int32(344, h.QFormCode);
        w.Int32(348, h.SFormCode);
        w.Float64(352, h.QuaternB);
        w.Float64(360, h.QuaternC);
        w.Float64(368, h.QuaternD);
        w.Float64(376, h.QOffsetX);
        w.Float64(384, h.QOffsetY);
        w.Float64(392, h.QOffsetZ);
        for (var n = 0; n < 4; n++)
        {
            w.Float64(400 + 8 * n, h.SRowX[n]);
            w.Float64(432 + 8 * n, h.SRowY[n]);
            w.Float64(464 + 8 * n, h.SRowZ[n]);
        }
        w.Int32(496, h.SliceCode);
        w.Int32(500, h.XyztUnits);
        w.Int32(504, h.IntentCode);
        WriteText(w.Bytes.AsSpan(508, 16), h.IntentName);
        w.Bytes[524] = h.DimInfo;
    }

    /// <summary>True for the pair magic (<c>ni1</c>/<c>ni2</c>), false for the single-file magic (<c>n+1</c>/<c>n+2</c>).</summary>
    private static bool Magic(ReadOnlySpan<byte> magic, int version, string filePath)
    {
        var digit = (byte)('0' + version);
        if (magic[0] == 'n' && magic[2] == digit && magic[3] == 0 && magic[1] is (byte)'+' or (byte)'i')
            return magic[1] == 'i';
        var found = Encoding.ASCII.GetString(magic).Replace("\0", "\\0");
        throw new NiftiFormatException(filePath, "magic",
            $"expected \"n+{version}\\0\" (single file) or \"ni{version}\\0\" (.hdr/.img pair) for a NIfTI-{version} header, found \"{found}\" (an Analyze 7.5 file has no magic and is not read)");
    }

    /// <summary>NIfTI-1 stores <c>vox_offset</c> as a float; it must be a whole non-negative number.</summary>
    private static long VoxOffset1(float value, string filePath)
    {
        if (!float.IsFinite(value) || value < 0 || value != MathF.Floor(value) || value > 1e15f)
            throw new NiftiFormatException(filePath, "vox_offset", $"expected a whole number of bytes ≥ 0, found {value}");
        return (long)value;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteText(Span<byte> field, string text)
    {
        // Keep one byte for the terminating NUL; characters outside Latin-1 become '?'.
        var length = Math.Min(text.Length, field.Length - 1);
        Encoding.Latin1.GetBytes(text.AsSpan(0, length), field);
    }

    private static short CheckedInt16(long value, string field) =>
        value is >= short.MinValue and <= short.MaxValue
            ? (short)value
            : throw new ArgumentException($"{field} = {value} does not fit the NIfTI-1 header's 16-bit field; write NIfTI-2 instead");

    private static byte CheckedByte(int value, string field) =>
        value is >= 0 and <= 255 ? (byte)value : throw new ArgumentException($"{field} = {value} does not fit the NIfTI-1 header's 8-bit field");

    private readonly struct FieldReader(byte[] bytes, bool bigEndian)
    {
        public byte[] Bytes { get; } = bytes;
        public bool BigEndian { get; } = bigEndian;
        public short Int16(int at) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadInt16LittleEndian(Bytes.AsSpan(at));
        public int Int32(int at) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadInt32LittleEndian(Bytes.AsSpan(at));
        public long Int64(int at) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadInt64LittleEndian(Bytes.AsSpan(at));
        public float Float32(int at) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadSingleLittleEndian(Bytes.AsSpan(at));
        public double Float64(int at) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(Bytes.AsSpan(at)) : BinaryPrimitives.ReadDoubleLittleEndian(Bytes.AsSpan(at));
    }

    private readonly struct FieldWriter(byte[] bytes, bool bigEndian)
    {
        public byte[] Bytes { get; } = bytes;
        private bool BigEndian { get; } = bigEndian;
        public void Int16(int at, short v) { if (BigEndian) BinaryPrimitives.WriteInt16BigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt16LittleEndian(Bytes.AsSpan(at), v); }
        public void Int32(int at, int v) { if (BigEndian) BinaryPrimitives.WriteInt32BigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt32LittleEndian(Bytes.AsSpan(at), v); }
        public void Int64(int at, long v) { if (BigEndian) BinaryPrimitives.WriteInt64BigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt64LittleEndian(Bytes.AsSpan(at), v); }
        public void Float32(int at, double v) { if (BigEndian) BinaryPrimitives.WriteSingleBigEndian(Bytes.AsSpan(at), (float)v); else BinaryPrimitives.WriteSingleLittleEndian(Bytes.AsSpan(at), (float)v); }
        public void Float64(int at, double v) { if (BigEndian) BinaryPrimitives.WriteDoubleBigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteDoubleLittleEndian(Bytes.AsSpan(at), v); }
    }
}
