using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// The chunked reordering between file order and index order agrees with a plain axis reversal for every rank, for
/// chunks of whole slices and of partial slices, and for index-order arrays split into several windows.
/// </summary>
public sealed class NiftiVoxelOrderTests
{
    public static TheoryData<long[], int, int, int> Layouts => new()
    {
        { [7], 3, 7, 1 },
        { [5, 4], 2, 5, 1 },
        { [4, 3, 5], 2, 12, 1 },
        { [4, 3, 5], 1, 5, 1 },     // partial slices: 5 of the 12 voxels per slice at a time
        { [4, 3, 5], 5, 12, 4 },    // four windows
        { [3, 2, 4, 3], 2, 24, 3 },
        { [2, 3, 2, 2, 3], 1, 7, 5 },
        { [2, 3, 2, 1, 2, 1, 3], 2, 24, 2 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ChunksReadIntoIndexOrderAsAReversalOfAxes(long[] shape, int slices, int positions, int windowCount)
    {
        using var scope = NewDisposeScope();
        var count = shape.Aggregate(1L, (product, extent) => product * extent);
        var reversedAxes = Enumerable.Range(0, shape.Length).Reverse().Select(n => (long)n).ToArray();
        // The file holds 0, 1, 2, ... in file order; index order is their axis reversal.
        var fileOrder = arange(count, dtype: ScalarType.Int64).reshape(shape.Reverse().ToArray());
        var expected = fileOrder.permute(reversedAxes).contiguous().view(-1).data<long>().ToArray();
        var fileValues = fileOrder.view(-1).data<long>().ToArray();

        var indexOrder = new long[count];
        var perWindow = (count + windowCount - 1) / windowCount;
        var perSlice = count / shape[^1];
        foreach (var (s0, kb, p0, pl) in Chunks(shape[^1], perSlice, slices, positions))
        {
            var chunk = new long[kb * pl];
            for (var s = 0; s < kb; s++)
                Array.Copy(fileValues, (s0 + s) * perSlice + p0, chunk, s * pl, pl);
            for (long start = 0; start < count; start += perWindow)
            {
                var length = (int)Math.Min(perWindow, count - start);
                NiftiVoxelOrder.Transfer<long>(chunk, shape, s0, kb, p0, pl, indexOrder.AsSpan((int)start, length), start, toFile: false);
            }
        }
        Assert.Equal(expected, indexOrder);

        // And back: gathering chunks from the index order gives the file order.
        var gathered = new long[count];
        foreach (var (s0, kb, p0, pl) in Chunks(shape[^1], perSlice, slices, positions))
        {
            var chunk = new long[kb * pl];
            for (long start = 0; start < count; start += perWindow)
            {
                var length = (int)Math.Min(perWindow, count - start);
                NiftiVoxelOrder.Transfer<long>(chunk, shape, s0, kb, p0, pl, expected.AsSpan((int)start, length), start, toFile: true);
            }
            for (var s = 0; s < kb; s++)
                Array.Copy(chunk, s * pl, gathered, (s0 + s) * perSlice + p0, pl);
        }
        Assert.Equal(fileValues, gathered);
    }

    private static IEnumerable<(long S0, int Slices, long P0, int Positions)> Chunks(long sliceCount, long perSlice, int slices, int positions)
    {
        var slicesPerChunk = positions < perSlice ? 1 : slices;
        for (long s0 = 0; s0 < sliceCount; s0 += slicesPerChunk)
        for (long p0 = 0; p0 < perSlice; p0 += positions)
            yield return (s0, (int)Math.Min(slicesPerChunk, sliceCount - s0), p0, (int)Math.Min(positions, perSlice - p0));
    }

    [Fact]
    public void AChunkOutsideTheShapeIsRefused()
    {
        var chunk = new long[6];
        var window = new long[60];
        Assert.Throws<ArgumentException>(() => NiftiVoxelOrder.Transfer<long>(chunk, [4, 3, 5], 4, 2, 0, 3, window, 0, toFile: false));
        Assert.Throws<ArgumentException>(() => NiftiVoxelOrder.Transfer<long>(chunk, [4, 3, 5], 0, 1, 10, 6, window, 0, toFile: false));
        Assert.Throws<ArgumentException>(() => NiftiVoxelOrder.Transfer<long>(chunk, [4, 3, 5], 0, 1, 0, 5, window, 0, toFile: false));
    }

    [Fact]
    public void ChunkSizesFollowTheTarget()
    {
        Assert.Equal((181, 181 * 217), NiftiVoxelOrder.ChunkSize([181, 217, 181], 1));
        var (slices, positions) = NiftiVoxelOrder.ChunkSize([256, 256, 256], 2);
        Assert.Equal(256 * 256, positions);
        Assert.Equal(NiftiVoxelOrder.TargetChunkBytes / (256 * 256 * 2), slices);
        Assert.Equal((1, NiftiVoxelOrder.TargetChunkBytes / 8), NiftiVoxelOrder.ChunkSize([2048, 2048, 3], 8));
    }

    [Fact]
    public void SlicesLargerThanAChunkAreWrittenAndReadInParts()
    {
        using var scope = NewDisposeScope();
        // 1025 × 1024 int64 voxels per slice = 8.4 MB > TargetChunkBytes: each slice moves in two parts.
        long[] shape = [1025, 1024, 3];
        Assert.Equal(1, NiftiVoxelOrder.ChunkSize(shape, 8).Slices);
        var folder = Directory.CreateTempSubdirectory("nifti-large-").FullName;
        try
        {
            var path = Path.Combine(folder, "large.nii");
            var values = arange(shape.Aggregate(1L, (product, extent) => product * extent), dtype: ScalarType.Int64).reshape(shape);
            using (var volume = new Pipeline.Core.Imaging.Volume(values.unsqueeze(0), Pipeline.Core.Imaging.AffineMatrix.Identity))
                NiftiWriter.Write(path, volume);
            using var image = NiftiReader.Read(path);
            Assert.True(image.Data.eq(values).all().item<bool>());
            // The file itself is in x-fastest order: voxel (i, j, k) at i + I·(j + J·k).
            using var file = File.OpenRead(path);
            var bytes = new byte[8];
            file.Seek(352 + 8 * (5 + 1025L * (7 + 1024L * 2)), SeekOrigin.Begin);
            file.ReadExactly(bytes);
            Assert.Equal(values[5, 7, 2].item<long>(), BitConverter.ToInt64(bytes));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
