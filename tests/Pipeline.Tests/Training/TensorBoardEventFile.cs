using Google.Protobuf;

namespace Pipeline.Tests.Training;

/// <summary>
/// Reads a TensorBoard event file independently of the writer: TFRecord framing (uint64 length, masked CRC-32C of the
/// length, data, masked CRC-32C of the data; both checked) around <c>Event</c> protobufs, of which only
/// <c>step</c> (field 2) and <c>summary</c> (field 5) → <c>value</c> (1) → <c>tag</c> (1) / <c>simple_value</c> (2)
/// are decoded.
/// </summary>
internal static class TensorBoardEventFile
{
    /// <summary>Every scalar of <paramref name="path"/> as (tag, step, value), in file order.</summary>
    public static List<(string Tag, long Step, float Value)> Scalars(string path)
    {
        var scalars = new List<(string, long, float)>();
        using var reader = new BinaryReader(File.OpenRead(path));
        int records = 0;
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            ulong length = reader.ReadUInt64();
            uint lengthCrc = reader.ReadUInt32();
            Assert.Equal(MaskedCrc(BitConverter.GetBytes(length)), lengthCrc);
            byte[] data = reader.ReadBytes(checked((int)length));
            Assert.Equal(MaskedCrc(data), reader.ReadUInt32());
            records++;
            ReadEvent(data, scalars);
        }
        Assert.True(records > 0, $"{path} holds no records");
        return scalars;
    }

    private static void ReadEvent(byte[] data, List<(string, long, float)> scalars)
    {
        var input = new CodedInputStream(data);
        long step = 0;
        var values = new List<(string, float)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 2: step = input.ReadInt64(); break;
                case 5: ReadSummary(input.ReadBytes(), values); break;
                default: input.SkipLastField(); break;
            }
        }
        scalars.AddRange(values.Select(v => (v.Item1, step, v.Item2)));
    }

    private static void ReadSummary(ByteString summary, List<(string, float)> values)
    {
        var input = summary.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1) { input.SkipLastField(); continue; }
            var value = input.ReadBytes().CreateCodedInput();
            string name = "";
            float number = float.NaN;
            uint inner;
            while ((inner = value.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(inner))
                {
                    case 1: name = value.ReadString(); break;
                    case 2: number = value.ReadFloat(); break;
                    default: value.SkipLastField(); break;
                }
            }
            values.Add((name, number));
        }
    }

    /// <summary>TFRecord's masked CRC-32C (Castagnoli, reflected polynomial 0x82F63B78).</summary>
    private static uint MaskedCrc(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        crc ^= 0xFFFFFFFF;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }
}
