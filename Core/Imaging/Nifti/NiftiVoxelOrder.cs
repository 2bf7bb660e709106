using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// Moves voxels between the file's order (x fastest: the C-order array <c>[..., K, J, I]</c>) and NIfTI index order
/// (the C-order array <c>[I, J, K, ...]</c>, the last axis fastest), one chunk of the file at a time, so a reader can
/// reorder while it decompresses and a writer while it compresses, without a whole-volume transposed copy.
/// <para>
/// A chunk is <c>slices</c> consecutive indices of the slowest file axis (the last NIfTI axis), each with the same
/// run of <c>positions</c> consecutive voxels of the other axes (in file order), stored in the chunk as
/// <c>[slices, positions]</c>. The destination (or source) in index order is a window: a span holding the index-ordered
/// elements from <c>windowStart</c> on, so arrays larger than one span can be handled in several windows; voxels
/// outside the window are skipped. In index order the slowest file axis is the fastest one, so each voxel position
/// takes <c>slices</c> adjacent elements: the inner loop runs over them, reading the chunk with stride
/// <c>positions</c> (cache-resident for chunks of a few megabytes) and writing contiguously.
/// </para>
/// </summary>
public static class NiftiVoxelOrder
{
    /// <summary>
    /// Copies a file-order chunk into the index-order window (<paramref name="toFile"/> false), or fills the chunk
    /// from the window (true).
    /// </summary>
    /// <param name="chunk">The chunk, <c>[slices, positions]</c> in file order (length <c>slices · positions</c>).</param>
    /// <param name="shape">The image shape in NIfTI index order <c>[I, J, K, ...]</c> (1 to 7 axes).</param>
    /// <param name="firstSlice">Index of the chunk's first slice along the last axis.</param>
    /// <param name="slices">Number of slices in the chunk.</param>
    /// <param name="firstPosition">File-order index, within a slice, of the chunk's first voxel.</param>
    /// <param name="positions">Voxels per slice in the chunk.</param>
    /// <param name="window">Index-order elements <c>windowStart .. windowStart + window.Length − 1</c>.</param>
    /// <param name="windowStart">Index-order offset of <paramref name="window"/>'s first element.</param>
    /// <param name="toFile">Direction: false reads the chunk into the window, true writes the window into the chunk.</param>
    /// <exception cref="ArgumentException">The chunk does not lie within the shape, or its length is not <c>slices · positions</c>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop called a few times per file: skip tier-0 code
    public static void Transfer<T>(Span<T> chunk, ReadOnlySpan<long> shape, long firstSlice, int slices, long firstPosition, int positions,
        Span<T> window, long windowStart, bool toFile) where T : unmanaged
    {
        var rank = shape.Length;
        if (rank is < 1 or > 7) throw new ArgumentException($"an image has 1 to 7 axes, not {rank}", nameof(shape));
        var sliceCount = shape[rank - 1];
        long perSlice = 1;
        for (var a = 0; a < rank - 1; a++) perSlice *= shape[a];
        if (slices < 1 || positions < 1 || firstSlice < 0 || firstSlice + slices > sliceCount || firstPosition < 0 || firstPosition + positions > perSlice)
            throw new ArgumentException($"a chunk of {slices} slices from {firstSlice} and {positions} voxels from {firstPosition} does not lie within shape [{string.Join(", ", shape.ToArray())}]");
        if (chunk.Length != (long)slices * positions)
            throw new ArgumentException($"the chunk holds {chunk.Length} values, not {slices} × {positions}", nameof(chunk));

        // Index-order strides of the non-slice axes, and the odometer (axis 0 fastest, as in the file) at firstPosition.
        Span<long> stride = stackalloc long[7];
        Span<long> index = stackalloc long[7];
        long step = 1;
        for (var a = rank - 1; a >= 0; a--)
        {
            stride[a] = step;
            step *= shape[a];
        }
        long offset = firstSlice, rest = firstPosition;
        for (var a = 0; a < rank - 1; a++)
        {
            index[a] = rest % shape[a];
            rest /= shape[a];
            offset += index[a] * stride[a];
        }

        var windowEnd = windowStart + window.Length;
        ref var chunkStart = ref MemoryMarshal.GetReference(chunk);
        ref var windowFirst = ref MemoryMarshal.GetReference(window);
        for (var q = 0; q < positions; q++)
        {
            // offset: index-order position of this voxel in the chunk's first slice.
            if (offset >= windowStart && offset + slices <= windowEnd)
            {
                ref var inWindow = ref Unsafe.Add(ref windowFirst, (nint)(offset - windowStart));
                ref var inChunk = ref Unsafe.Add(ref chunkStart, q);
                if (toFile)
                    for (var s = 0; s < slices; s++) Unsafe.Add(ref inChunk, (nint)s * positions) = Unsafe.Add(ref inWindow, s);
                else
                    for (var s = 0; s < slices; s++) Unsafe.Add(ref inWindow, s) = Unsafe.Add(ref inChunk, (nint)s * positions);
            }
            else if (offset < windowEnd && offset + slices > windowStart)
            {
                for (var s = (int)Math.Max(0, windowStart - offset); s < slices && offset + s < windowEnd; s++)
                {
                    if (toFile) chunk[s * positions + q] = window[(int)(offset + s - windowStart)];
                    else window[(int)(offset + s - windowStart)] = chunk[s * positions + q];
                }
            }
            // Next voxel in file order: axis 0 advances, carrying into slower axes.
            for (var a = 0; a < rank - 1; a++)
            {
                offset += stride[a];
                if (++index[a] < shape[a]) break;
                offset -= index[a] * stride[a];
                index[a] = 0;
            }
        }
    }

    /// <summary>Chunk bytes to aim for: large enough for few read calls, small enough to stay in cache while reordered.</summary>
    public const int TargetChunkBytes = 8 << 20;

    /// <summary>
    /// Slices and voxels per slice in a chunk: whole slices (as many as fit in <see cref="TargetChunkBytes"/>) when a
    /// slice fits, else one slice in parts.
    /// </summary>
    public static (int Slices, int Positions) ChunkSize(long[] shape, int size)
    {
        var perSlice = shape[..^1].Aggregate(1L, (product, extent) => product * extent);
        if (perSlice * size > TargetChunkBytes) return (1, TargetChunkBytes / size);
        return ((int)Math.Clamp(TargetChunkBytes / (perSlice * size), 1, shape[^1]), (int)perSlice);
    }

    /// <summary>Largest window in bytes: spans over tensor memory are limited to <see cref="int.MaxValue"/> bytes.</summary>
    public const int WindowBytes = 1 << 30;

    /// <summary>Views of at most <see cref="WindowBytes"/> bytes covering a contiguous 1-D tensor, with their start offsets.</summary>
    public static List<(long Start, Tensor View)> Windows(Tensor flat, int size)
    {
        var windows = new List<(long, Tensor)>();
        var perWindow = WindowBytes / size;
        for (long start = 0; start < flat.numel(); start += perWindow)
            windows.Add((start, flat.narrow(0, start, Math.Min(perWindow, flat.numel() - start))));
        return windows;
    }

    /// <summary><see cref="Transfer{T}"/> on byte spans holding values of <paramref name="size"/> bytes (1, 2, 4 or 8).</summary>
    public static void Transfer(Span<byte> chunk, long[] shape, long firstSlice, int slices, long firstPosition, int positions,
        Span<byte> window, long windowStart, int size, bool toFile)
    {
        switch (size)
        {
            case 1:
                Transfer(chunk, shape, firstSlice, slices, firstPosition, positions, window, windowStart, toFile);
                break;
            case 2:
                Transfer(MemoryMarshal.Cast<byte, short>(chunk), shape, firstSlice, slices, firstPosition, positions,
                    MemoryMarshal.Cast<byte, short>(window), windowStart, toFile);
                break;
            case 4:
                Transfer(MemoryMarshal.Cast<byte, int>(chunk), shape, firstSlice, slices, firstPosition, positions,
                    MemoryMarshal.Cast<byte, int>(window), windowStart, toFile);
                break;
            default:
                Transfer(MemoryMarshal.Cast<byte, long>(chunk), shape, firstSlice, slices, firstPosition, positions,
                    MemoryMarshal.Cast<byte, long>(window), windowStart, toFile);
                break;
        }
    }
}
