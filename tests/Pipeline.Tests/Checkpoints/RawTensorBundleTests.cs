using System.Runtime.InteropServices;
using System.Text.Json;
using Pipeline.Core.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

public sealed class RawTensorBundleTests
{
    private static readonly float[] Floats = { 1.5f, -2f, 3.25f, 0f, 1e-7f, -65504f };
    private static readonly long[] Longs = { 42L, -7L, long.MaxValue };

    /// <summary>Writes X.json + X.bin with a float32 [2, 3], an int64 [3], an int64 scalar and an entry sharing the floats' bytes.</summary>
    private static string WriteBundle(TemporaryFolder folder, Action<Dictionary<string, object>>? edit = null)
    {
        var floatBytes = MemoryMarshal.AsBytes(Floats.AsSpan()).ToArray();
        var longBytes = MemoryMarshal.AsBytes(Longs.AsSpan()).ToArray();
        var scalarBytes = BitConverter.GetBytes(9L);
        var data = floatBytes.Concat(longBytes).Concat(scalarBytes).ToArray();
        File.WriteAllBytes(folder.File("weights.bin"), data);

        var index = new Dictionary<string, object>
        {
            ["a.weight"] = new { shape = new[] { 2, 3 }, dtype = "float32", offset = 0, nbytes = floatBytes.Length },
            ["b.index"] = new { shape = new[] { 3 }, dtype = "int64", offset = floatBytes.Length, nbytes = longBytes.Length },
            ["c.num_batches_tracked"] = new { shape = Array.Empty<int>(), dtype = "int64", offset = floatBytes.Length + longBytes.Length, nbytes = 8 },
            ["d.shared"] = new { shape = new[] { 6 }, dtype = "float32", offset = 0, nbytes = floatBytes.Length },
        };
        edit?.Invoke(index);
        File.WriteAllText(folder.File("weights.json"), JsonSerializer.Serialize(index));
        return folder.File("weights.json");
    }

    [Fact]
    public void ReadsFloat32Int64ScalarsAndSharedOffsetsInIndexOrder()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var bundle = RawTensorBundle.Open(WriteBundle(folder));

        Assert.Equal(new[] { "a.weight", "b.index", "c.num_batches_tracked", "d.shared" }, bundle.Names);
        var all = bundle.ReadAll();
        Assert.Equal(new[] { "a.weight", "b.index", "c.num_batches_tracked", "d.shared" }, all.Keys);

        Assert.Equal(ScalarType.Float32, all["a.weight"].dtype);
        Assert.Equal(new long[] { 2, 3 }, all["a.weight"].shape);
        Assert.Equal(Floats, all["a.weight"].data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, all["b.index"].dtype);
        Assert.Equal(Longs, all["b.index"].data<long>().ToArray());
        Assert.Empty(all["c.num_batches_tracked"].shape);
        Assert.Equal(9L, all["c.num_batches_tracked"].item<long>());
        Assert.Equal(Floats, all["d.shared"].data<float>().ToArray());
        Assert.Equal(Floats, bundle.Read("d.shared").data<float>().ToArray());
    }

    [Fact]
    public void UnknownNameIsReportedWithTheBundle()
    {
        using var folder = new TemporaryFolder();
        var bundle = RawTensorBundle.Open(WriteBundle(folder));
        var error = Assert.Throws<KeyNotFoundException>(() => bundle.Read("nope"));
        Assert.Contains("nope", error.Message);
        Assert.Contains("weights.json", error.Message);
    }

    [Fact]
    public void ByteCountThatDisagreesWithTheShapeIsRejected()
    {
        using var folder = new TemporaryFolder();
        var path = WriteBundle(folder, index =>
            index["a.weight"] = new { shape = new[] { 2, 2 }, dtype = "float32", offset = 0, nbytes = 24 });
        var error = Assert.Throws<InvalidDataException>(() => RawTensorBundle.Open(path));
        Assert.Contains("a.weight", error.Message);
        Assert.Contains("needs 16", error.Message);
    }

    [Fact]
    public void BytesOutsideTheDataFileAreRejected()
    {
        using var folder = new TemporaryFolder();
        var path = WriteBundle(folder, index =>
            index["b.index"] = new { shape = new[] { 3 }, dtype = "int64", offset = 1000, nbytes = 24 });
        var error = Assert.Throws<InvalidDataException>(() => RawTensorBundle.Open(path));
        Assert.Contains("b.index", error.Message);
        Assert.Contains("weights.bin", error.Message);
    }

    [Fact]
    public void UnsupportedDtypeIsRejected()
    {
        using var folder = new TemporaryFolder();
        var path = WriteBundle(folder, index =>
            index["a.weight"] = new { shape = new[] { 3 }, dtype = "float16", offset = 0, nbytes = 6 });
        var error = Assert.Throws<InvalidDataException>(() => RawTensorBundle.Open(path));
        Assert.Contains("a.weight", error.Message);
        Assert.Contains("float16", error.Message);
    }

    [Fact]
    public void MissingDataFileIsReported()
    {
        using var folder = new TemporaryFolder();
        var path = WriteBundle(folder);
        File.Delete(folder.File("weights.bin"));
        var error = Assert.Throws<FileNotFoundException>(() => RawTensorBundle.Open(path));
        Assert.Contains("weights.bin", error.Message);
    }
}
