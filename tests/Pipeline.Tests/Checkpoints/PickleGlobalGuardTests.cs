using System.IO.Compression;
using System.Text;
using Pipeline.Core.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

/// <summary>
/// Loading a torch.save file executes nothing from it: a pickle that names a Python global outside the state_dict
/// allow-list is refused before it is unpickled, with the global's name in the error.
/// </summary>
public sealed class PickleGlobalGuardTests
{
    private static byte[] Pickle(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
            bytes.AddRange(part switch
            {
                byte b => [b],
                string text => Encoding.ASCII.GetBytes(text),
                byte[] raw => raw,
                _ => throw new ArgumentException("byte, string or byte[] expected"),
            });
        return bytes.ToArray();
    }

    private static byte[] ShortUnicode(string text) => [0x8c, (byte)text.Length, .. Encoding.ASCII.GetBytes(text)];

    private static string ZipTorchSave(TemporaryFolder folder, string name, byte[] pickle)
    {
        string path = folder.File(name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var entry = archive.CreateEntry("archive/data.pkl").Open()) entry.Write(pickle);
        using (var entry = archive.CreateEntry("archive/version").Open()) entry.Write("3\n"u8);
        return path;
    }

    [Fact]
    public void AGlobalOpcodeNamingOsSystemIsRefused()
    {
        using var folder = new TemporaryFolder();
        // os.system("echo pwned") in protocol 2: GLOBAL, a string argument, TUPLE1, REDUCE, STOP.
        var pickle = Pickle((byte)0x80, (byte)2, "cos\nsystem\n", ShortUnicode("echo pwned"), (byte)0x85, "R", ".");
        string path = ZipTorchSave(folder, "evil.pt", pickle);

        var error = Assert.Throws<InvalidDataException>(() => PyTorchStateDictReader.Read(path));
        Assert.Contains("'os.system'", error.Message);
        Assert.Contains("evil.pt", error.Message);
    }

    [Fact]
    public void AStackGlobalNamingBuiltinsEvalIsRefused()
    {
        using var folder = new TemporaryFolder();
        // Protocol 4: the module and name are pushed as strings (and memoized), then STACK_GLOBAL.
        var pickle = Pickle((byte)0x80, (byte)4, ShortUnicode("builtins"), (byte)0x94, ShortUnicode("eval"), (byte)0x94,
            (byte)0x93, ShortUnicode("1+1"), (byte)0x85, "R", ".");
        string path = ZipTorchSave(folder, "evil4.pt", pickle);

        var error = Assert.Throws<InvalidDataException>(() => PyTorchStateDictReader.Read(path));
        Assert.Contains("'builtins.eval'", error.Message);
    }

    [Fact]
    public void AStackGlobalWhoseNamesAreNotLiteralsIsRefused()
    {
        var pickle = Pickle((byte)0x80, (byte)4, ShortUnicode("os"), "N", (byte)0x93, ".");
        var error = Assert.Throws<InvalidDataException>(() => PickleGlobalGuard.Check(pickle, "x.pkl"));
        Assert.Contains("STACK_GLOBAL", error.Message);
    }

    [Fact]
    public void AnUnknownOpcodeIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => PickleGlobalGuard.Check(Pickle((byte)0x80, (byte)2, (byte)0xff, "."), "x.pkl"));
        Assert.Contains("0xff", error.Message);
    }

    [Fact]
    public void AStateDictWrittenByThePicklerPasses()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        var stateDict = new Dictionary<string, Tensor> { ["w"] = ones(2, 3), ["n"] = tensor(4L), ["h"] = ones(2).to(ScalarType.Float16) };
        PyTorchStateDictWriter.Write(stateDict, folder.File("ok.pt"));

        var read = PyTorchStateDictReader.Read(folder.File("ok.pt"));

        Assert.Equal(stateDict.Keys.Order(), read.Keys.Order());
    }
}
