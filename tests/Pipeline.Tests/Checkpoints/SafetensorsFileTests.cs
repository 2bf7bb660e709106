using System.Buffers.Binary;
using System.Text;
using Pipeline.Core.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

public sealed class SafetensorsFileTests
{
    [Fact]
    public void EveryDTypeRoundTripsBitwise()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var values = arange(-6, 6, dtype: ScalarType.Float64).reshape(3, 4) / 3;
        var tensors = new Dictionary<string, Tensor>
        {
            ["f64"] = values, ["f32"] = values.to(ScalarType.Float32), ["f16"] = values.to(ScalarType.Float16),
            ["bf16"] = values.to(ScalarType.BFloat16), ["i64"] = arange(12, dtype: ScalarType.Int64) - 6,
            ["i32"] = arange(5, dtype: ScalarType.Int32), ["scalar"] = tensor(7L), ["empty"] = zeros(0, 3),
        };
        SafetensorsFile.Write(tensors, folder.File("all.safetensors"), new Dictionary<string, string> { ["format"] = "pt" });

        var read = SafetensorsFile.Read(folder.File("all.safetensors"));

        Assert.Equal(tensors.Keys, read.Keys);
        foreach (var (key, value) in tensors)
        {
            Assert.Equal(value.dtype, read[key].dtype);
            Assert.Equal(value.shape, read[key].shape);
            Assert.True(BitwiseTensor.Equal(read[key], value), $"{key} differs.");
        }
        byte[] bytes = File.ReadAllBytes(folder.File("all.safetensors"));
        Assert.Equal(0UL, (BinaryPrimitives.ReadUInt64LittleEndian(bytes) + 8) % 8); // data 8-byte aligned
    }

    [Fact]
    public void AnEntryOutsideTheDataIsRejectedByName()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("bad.safetensors");
        WriteRaw(path, """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains("bad.safetensors", error.Message);
        Assert.Contains("'w'", error.Message);
    }

    [Fact]
    public void AnUnknownDTypeIsRejectedByName()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("c64.safetensors");
        WriteRaw(path, """{"z":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains("'C64'", error.Message);
        Assert.Contains("'z'", error.Message);
    }

    private static void WriteRaw(string path, string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        stream.Write(data);
    }
}
