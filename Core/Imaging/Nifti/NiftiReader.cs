using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// Reads NIfTI-1 and NIfTI-2 images: <c>.nii</c>, <c>.nii.gz</c> and <c>.hdr/.img</c> pairs (either half gzipped),
/// either byte order. Gzip is recognised by its magic bytes, not the name, and streamed: the voxel bytes are
/// decompressed straight into the tensor's memory, byte-swapped there if needed, widened when the type has no
/// TorchSharp equivalent (uint16 → int32, uint32 → int64), and scaled when <c>scl_slope</c> says so. The voxels are
/// reordered from the file's x-fastest layout into a contiguous <c>[I, J, K, T, ...]</c> tensor chunk by chunk as they
/// are decompressed (<see cref="NiftiVoxelOrder"/>), which avoids a whole-volume transposed copy.
/// <para>
/// Scaling follows nibabel: a slope of 0 or NaN means unscaled, slope 1 with intercept 0 leaves the stored type,
/// anything else yields <c>slope · x + inter</c> computed in float64 and stored as float32 (float64 when the file
/// holds float64), so every value equals nibabel's <c>get_fdata()</c> rounded once to float32.
/// </para>
/// Every malformed input raises a <see cref="NiftiFormatException"/> naming the file and the field.
/// </summary>
public static class NiftiReader
{
    /// <summary>Read buffer of the file stream under the gzip decoder (fewer, larger reads from disk).</summary>
    private const int FileBufferSize = 1 << 20;

    /// <summary>
    /// Deflate cannot expand data by more than about 1032:1, so a gzip file of n bytes cannot hold more than
    /// 1032·n bytes; headers that claim more are rejected before any allocation.
    /// </summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads the image at <paramref name="path"/> (header, extensions and voxel data).</summary>
    /// <exception cref="FileNotFoundException">The file (or the other half of a pair) does not exist.</exception>
    /// <exception cref="NiftiFormatException">The file is not a readable NIfTI image; the message says which field and why.</exception>
    public static NiftiImage Read(string path)
    {
        var (headerPath, dataPath) = NiftiPaths.Resolve(path);
        var pair = headerPath != dataPath;
        var currentFile = headerPath;
        try
        {
            using var headerSource = DataSource.Open(headerPath);
            var header = ReadHeader(headerSource, headerPath, pair);
            var affine = header.BestAffine(headerPath);
            var type = header.DataType!;

            currentFile = dataPath;
            using var dataSource = pair ? DataSource.Open(dataPath) : null;
            var source = dataSource ?? headerSource;
            var byteCount = CheckedByteCount(header, type, headerPath);
            source.SkipTo(header.VoxOffset, headerPath);
            source.CheckCanHold(header.VoxOffset, byteCount, header, type);

            using var scope = NewDisposeScope();
            var data = ReadVoxels(source, header, type, byteCount);
            // gzip checks its CRC only at the end of the stream: read to there, so corruption cannot pass silently.
            source.DrainGzip();
            data = Widen(data, type, dataPath);
            data = Scale(data, header, type);
            return new NiftiImage(header, data.MoveToOuterDisposeScope(), affine, headerPath);
        }
        catch (InvalidDataException e)
        {
            throw new NiftiFormatException(currentFile, "gzip", $"the compressed stream is corrupt ({e.Message})", e);
        }
    }

    /// <summary>Reads only the header and its extensions of the image at <paramref name="path"/>, checking them as <see cref="Read"/> does.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NiftiFormatException">The header is malformed.</exception>
    public static NiftiHeader ReadHeader(string path)
    {
        var (headerPath, dataPath) = NiftiPaths.Resolve(path);
        try
        {
            using var source = DataSource.Open(headerPath);
            return ReadHeader(source, headerPath, headerPath != dataPath);
        }
        catch (InvalidDataException e)
        {
            throw new NiftiFormatException(headerPath, "gzip", $"the compressed stream is corrupt ({e.Message})", e);
        }
    }

    private static NiftiHeader ReadHeader(DataSource source, string path, bool pair)
    {
        var first = new byte[NiftiHeaderBinary.Nifti2Size];
        var got = source.Read(first.AsSpan(0, 4));
        if (got < 4) throw new NiftiFormatException(path, "sizeof_hdr", $"the file ends after {got} bytes; a NIfTI header has 348 or 540");
        var (version, _) = NiftiHeaderBinary.DetectVersion(first, path);
        var size = version == 2 ? NiftiHeaderBinary.Nifti2Size : NiftiHeaderBinary.Nifti1Size;
        got = source.Read(first.AsSpan(4, size - 4));
        if (got < size - 4)
            throw new NiftiFormatException(path, "header", $"the file ends after {4 + got} bytes; a NIfTI-{version} header has {size}");
        var header = NiftiHeaderBinary.Parse(first.AsSpan(0, size), path);
        Validate(header, path, pair);
        return header with { Extensions = ReadExtensions(source, header, path, pair) };
    }

    /// <summary>The checks that do not need the data: dimensions, datatype, vox_offset, scaling.</summary>
    private static void Validate(NiftiHeader header, string path, bool pair)
    {
        if (header.Dim[0] is < 1 or > 7)
            throw new NiftiFormatException(path, "dim[0]", $"the number of dimensions must be 1 to 7, found {header.Dim[0]} (dim = [{string.Join(", ", header.Dim)}])");
        for (var n = 1; n <= header.Rank; n++)
        {
            if (header.Dim[n] < 1)
                throw new NiftiFormatException(path, $"dim[{n}]", $"every extent must be at least 1, found {header.Dim[n]} (dim = [{string.Join(", ", header.Dim)}])");
        }
        if (header.DataType is null)
            throw new NiftiFormatException(path, "datatype", NiftiDataType.DescribeUnreadable(header.DataTypeCode));
        var minimum = header.SizeOfHeader + 4;
        if (!pair && header.VoxOffset < minimum)
            throw new NiftiFormatException(path, "vox_offset",
                $"a single-file NIfTI-{header.Version} image must have its data at or after byte {minimum} (header plus the 4-byte extension flag), found {header.VoxOffset}");
        if (header.Scaling is { } scaling && !double.IsFinite(scaling.Intercept))
            throw new NiftiFormatException(path, "scl_inter", $"scl_slope is {scaling.Slope}, so the intercept must be finite, found {scaling.Intercept}");
    }

    /// <summary>
    /// Reads the 4-byte extension flag and, when its first byte is non-zero, the extensions: up to
    /// <c>vox_offset</c> in a single file, to the end of the file for a <c>.hdr</c>.
    /// </summary>
    private static List<NiftiExtension> ReadExtensions(DataSource source, NiftiHeader header, string path, bool pair)
    {
        var extensions = new List<NiftiExtension>();
        Span<byte> flag = stackalloc byte[4];
        if (source.Read(flag) < 4 || flag[0] == 0) return extensions;
        Span<byte> prefix = stackalloc byte[8];
        while (true)
        {
            var remaining = pair ? long.MaxValue : header.VoxOffset - source.Position;
            if (remaining < 16) return extensions;
            var got = source.Read(prefix);
            if (got == 0 && pair) return extensions;
            if (got < 8)
                throw new NiftiFormatException(path, "extension", $"extension {extensions.Count} is cut off: the file ends inside its 8-byte esize/ecode prefix");
            var esize = header.IsBigEndian ? BinaryPrimitives.ReadInt32BigEndian(prefix) : BinaryPrimitives.ReadInt32LittleEndian(prefix);
            var ecode = header.IsBigEndian ? BinaryPrimitives.ReadInt32BigEndian(prefix[4..]) : BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
            // Zero bytes where the next extension would start: padding before vox_offset (nifti_clib stops here too).
            if (esize == 0 && ecode == 0) return extensions;
            if (esize < 8 || esize > remaining || !source.CouldHold(esize - 8))
                throw new NiftiFormatException(path, "extension",
                    $"extension {extensions.Count} (ecode {ecode}) has esize {esize}; expected at least 8 and at most the {(pair ? "rest of the file" : $"{remaining} bytes before vox_offset {header.VoxOffset}")}");
            var content = new byte[esize - 8];
            got = source.Read(content);
            if (got < content.Length)
                throw new NiftiFormatException(path, "extension", $"extension {extensions.Count} (ecode {ecode}, esize {esize}) is cut off after {got + 8} bytes");
            extensions.Add(new NiftiExtension(ecode, content));
        }
    }

    private static long CheckedByteCount(NiftiHeader header, NiftiDataType type, string path)
    {
        try
        {
            return checked(header.Shape.Aggregate(1L, (product, extent) => checked(product * extent)) * type.Size);
        }
        catch (OverflowException)
        {
            throw new NiftiFormatException(path, "dim", $"shape [{string.Join(", ", header.Shape)}] of {type.Name} is larger than any file can be");
        }
    }

    /// <summary>
    /// Reads the voxel bytes chunk by chunk (about <see cref="NiftiVoxelOrder.TargetChunkBytes"/> each), byte-swaps each chunk, and
    /// moves it into a tensor of the datatype's storage type in NIfTI index order (see <see cref="NiftiVoxelOrder"/>).
    /// </summary>
    private static Tensor ReadVoxels(DataSource source, NiftiHeader header, NiftiDataType type, long byteCount)
    {
        var shape = header.Shape;
        var output = empty(shape, dtype: type.StorageType);
        var flat = output.view(-1);
        var size = type.Size;
        var (slices, positions) = NiftiVoxelOrder.ChunkSize(shape, size);
        var buffer = ArrayPool<byte>.Shared.Rent(slices * positions * size);
        try
        {
            ReadChunks(source, header, type, byteCount, flat, buffer, slices, positions);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return output;
    }

    private static void ReadChunks(DataSource source, NiftiHeader header, NiftiDataType type, long byteCount, Tensor flat, byte[] buffer, int slices, int positions)
    {
        var shape = header.Shape;
        var size = type.Size;
        var windows = NiftiVoxelOrder.Windows(flat, size);
        var sliceCount = shape[^1];
        var perSlice = flat.numel() / sliceCount;
        for (long s0 = 0; s0 < sliceCount; s0 += slices)
        {
            var kb = (int)Math.Min(slices, sliceCount - s0);
            for (long p0 = 0; p0 < perSlice; p0 += positions)
            {
                var pl = (int)Math.Min(positions, perSlice - p0);
                var chunk = buffer.AsSpan(0, kb * pl * size);
                var got = source.Read(chunk);
                if (got < chunk.Length)
                {
                    var have = (s0 * perSlice + p0) * size + got;
                    throw new NiftiFormatException(source.Path, "data",
                        $"shape [{string.Join(", ", shape)}] of {type.Name} needs {byteCount} bytes from vox_offset {header.VoxOffset}, but the {(source.IsGzip ? "decompressed stream" : "file")} ends after {have}: the file is truncated");
                }
                if (header.IsBigEndian == BitConverter.IsLittleEndian) SwapBytes(chunk, size);
                foreach (var (start, view) in windows)
                    NiftiVoxelOrder.Transfer(chunk, shape, s0, kb, p0, pl, view.bytes, start, size, toFile: false);
            }
        }
    }

    private static void SwapBytes(Span<byte> span, int size)
    {
        switch (size)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, short>(span);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, int>(span);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, long>(span);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    /// <summary>Reinterprets unsigned values stored in a same-size signed tensor as their true values in a wider type.</summary>
    private static Tensor Widen(Tensor raw, NiftiDataType type, string path)
    {
        if (type == NiftiDataType.UInt16) return raw.to(ScalarType.Int32).bitwise_and_(0xFFFF);
        if (type == NiftiDataType.UInt32) return raw.to(ScalarType.Int64).bitwise_and_(0xFFFFFFFFL);
        if (type == NiftiDataType.UInt64 && raw.numel() > 0 && raw.lt(0).any().item<bool>())
            throw new NiftiFormatException(path, "datatype",
                $"uint64 voxels of 2^63 or more cannot be held in the int64 tensor this reader produces (found e.g. {(ulong)raw.min().item<long>()})");
        return raw;
    }

    private static Tensor Scale(Tensor data, NiftiHeader header, NiftiDataType type)
    {
        if (header.Scaling is not { } scaling || (scaling.Slope == 1 && scaling.Intercept == 0)) return data;
        var scaled = data.to(ScalarType.Float64);
        if (scaling.Slope != 1) scaled.mul_(scaling.Slope);
        if (scaling.Intercept != 0) scaled.add_(scaling.Intercept);
        return type == NiftiDataType.Float64 ? scaled : scaled.to(ScalarType.Float32);
    }

    /// <summary>A file opened for sequential reading, decompressed when it starts with the gzip magic, with a position count.</summary>
    private sealed class DataSource : IDisposable
    {
        private readonly FileStream _file;
        private readonly Stream _stream;

        private DataSource(string path, FileStream file, Stream stream, bool gzip)
        {
            Path = path;
            _file = file;
            _stream = stream;
            IsGzip = gzip;
        }

        public string Path { get; }

        public bool IsGzip { get; }

        /// <summary>Bytes consumed so far (of the decompressed stream for gzip).</summary>
        public long Position { get; private set; }

        public static DataSource Open(string path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);
            try
            {
                Span<byte> magic = stackalloc byte[2];
                var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
                file.Position = 0;
                return new DataSource(path, file, gzip ? new GZipStream(file, CompressionMode.Decompress) : file, gzip);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
        public int Read(Span<byte> buffer)
        {
            var got = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            Position += got;
            return got;
        }

        /// <summary>Whether <paramref name="bytes"/> more bytes are possible at all (file length, or the deflate limit).</summary>
        public bool CouldHold(long bytes) => IsGzip
            ? bytes <= _file.Length * MaxDeflateRatio
            : bytes <= _file.Length - Position;

        /// <summary>Moves to <paramref name="offset"/> (seeking in plain files, decompressing and discarding in gzip).</summary>
        public void SkipTo(long offset, string headerPath)
        {
            if (offset < Position)
                throw new NiftiFormatException(headerPath, "vox_offset", $"the data cannot start at byte {offset}: the header and its extensions take {Position} bytes");
            if (!IsGzip)
            {
                _file.Position = Math.Min(offset, _file.Length);
                Position = _file.Position;
            }
            else
            {
                var scratch = new byte[64 * 1024];
                while (Position < offset)
                {
                    var want = (int)Math.Min(scratch.Length, offset - Position);
                    if (Read(scratch.AsSpan(0, want)) < want) break;
                }
            }
            if (Position < offset)
                throw new NiftiFormatException(headerPath, "vox_offset", $"the data should start at byte {offset}, but the {(IsGzip ? "decompressed stream" : "file")} {Path} ends after {Position} bytes");
        }

        /// <summary>For gzip, decompresses and discards the rest of the stream, which makes the decoder verify the CRC-32 and length trailer.</summary>
        public void DrainGzip()
        {
            if (!IsGzip) return;
            var scratch = new byte[64 * 1024];
            while (_stream.Read(scratch) > 0)
            {
            }
        }

        /// <summary>Rejects a header whose data cannot fit in the file before allocating memory for it.</summary>
        public void CheckCanHold(long offset, long byteCount, NiftiHeader header, NiftiDataType type)
        {
            if (CouldHold(byteCount)) return;
            var limit = IsGzip
                ? $"a gzip file of {_file.Length} bytes cannot decompress to more than {_file.Length * MaxDeflateRatio}"
                : $"the file has only {_file.Length - offset} bytes after vox_offset {offset}";
            throw new NiftiFormatException(Path, "dim",
                $"dim [{string.Join(", ", header.Shape)}] × {type.Name} ({type.Size} bytes) needs {byteCount} bytes of data, but {limit}: the header does not describe this file, or the file is truncated");
        }

        public void Dispose()
        {
            _stream.Dispose();
            _file.Dispose();
        }
    }
}
