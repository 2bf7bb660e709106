using System.IO.Compression;
using System.Text;

namespace Pipeline.Tests.Checkpoints;

/// <summary>
/// Builds a training-style checkpoint <c>{"state_dict": &lt;state_dict&gt;, "epoch": n}</c> from a flat zip-format
/// torch.save file by rewriting its pickle: the original pickle body becomes the value of a new top-level dict.
/// (Python is not needed: the pickle opcodes are written directly.)
/// </summary>
public static class TorchSaveRewriter
{
    private const byte Proto = 0x80, EmptyDict = (byte)'}', BinUnicode = (byte)'X', SetItem = (byte)'s', BinInt1 = (byte)'K', Stop = (byte)'.';

    /// <summary>Writes <paramref name="nestedPath"/>: the state_dict of <paramref name="flatPath"/> nested under "state_dict".</summary>
    public static void NestUnderStateDict(string flatPath, string nestedPath, byte epoch)
    {
        using var input = ZipFile.OpenRead(flatPath);
        using var output = ZipFile.Open(nestedPath, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var source = entry.Open();
            using var buffer = new MemoryStream();
            source.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                bytes = Nest(bytes, epoch);
            var copy = output.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
            using var target = copy.Open();
            target.Write(bytes);
        }
    }

    private static byte[] Nest(byte[] pickle, byte epoch)
    {
        if (pickle.Length < 3 || pickle[^1] != Stop)
            throw new InvalidDataException("Expected a pickle ending with STOP.");
        int headerLength = pickle[0] == Proto ? 2 : 0;
        var nested = new List<byte>();
        nested.AddRange(pickle.AsSpan(0, headerLength).ToArray());
        nested.Add(EmptyDict);
        AddString(nested, "state_dict");
        nested.AddRange(pickle.AsSpan(headerLength, pickle.Length - headerLength - 1).ToArray());
        nested.Add(SetItem);
        AddString(nested, "epoch");
        nested.Add(BinInt1);
        nested.Add(epoch);
        nested.Add(SetItem);
        nested.Add(Stop);
        return nested.ToArray();
    }

    private static void AddString(List<byte> pickle, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        pickle.Add(BinUnicode);
        pickle.AddRange(BitConverter.GetBytes((uint)utf8.Length));
        pickle.AddRange(utf8);
    }
}
