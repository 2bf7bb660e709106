using System.Collections;
using System.IO.Compression;
using System.Text;
using Pipeline.Core.Checkpoints;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

public sealed class PyTorchStateDictReaderTests
{
    private static nn.Module Source(ulong seed)
    {
        var module = nn.Sequential(("conv", nn.Conv3d(2, 3, 3)), ("norm", nn.BatchNorm3d(3)));
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        using (no_grad())
            foreach (var (_, parameter) in module.named_parameters())
                parameter.copy_(randn(parameter.shape, generator: generator));
        return module;
    }

    [Fact]
    public void ReadsAFlatStateDict()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        using var module = Source(21);
        module.save_py(folder.File("flat.pt"));

        var read = PyTorchStateDictReader.Read(folder.File("flat.pt"));

        var expected = module.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
            Assert.True(read[key].reshape(value.shape).equal(value).all().item<bool>(), $"{key} differs.");
    }

    [Fact]
    public void ReadsAStateDictNestedUnderStateDictKey()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        using var module = Source(22);
        module.save_py(folder.File("flat.pt"));
        TorchSaveRewriter.NestUnderStateDict(folder.File("flat.pt"), folder.File("checkpoint.pt"), epoch: 3);
        using (var stream = File.OpenRead(folder.File("checkpoint.pt")))
        {
            var root = PyTorchUnpickler.UnpickleStateDict(stream);
            Assert.Equal(3, root["epoch"]);
            Assert.IsAssignableFrom<Hashtable>(root[PyTorchStateDictReader.NestedStateDictKey]);
        }

        var read = PyTorchStateDictReader.Read(folder.File("checkpoint.pt"));

        var expected = module.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        Assert.True(read["conv.weight"].equal(expected["conv.weight"]).all().item<bool>());
    }

    [Fact]
    public void RejectsAFileThatIsNotAZipTorchSave()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("legacy.pt"), Encoding.ASCII.GetBytes("\u0080\u0002legacy pickle, not a zip archive"));
        var error = Assert.Throws<InvalidDataException>(() => PyTorchStateDictReader.Read(folder.File("legacy.pt")));
        Assert.Contains("legacy.pt", error.Message);
        Assert.Contains("zip", error.Message);
    }

    [Fact]
    public void RejectsAMissingFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => PyTorchStateDictReader.Read("/nonexistent/weights.pt"));
        Assert.Contains("/nonexistent/weights.pt", error.Message);
    }

    [Fact]
    public void RejectsAMapWithNonTensorEntries()
    {
        using var scope = NewDisposeScope();
        var root = new Hashtable { ["conv.weight"] = zeros(2), ["epoch"] = 3, ["optimizer"] = new Hashtable() };
        var error = Assert.Throws<InvalidDataException>(() => PyTorchStateDictReader.ExtractStateDict(root, "ckpt.pt"));
        Assert.Contains("ckpt.pt", error.Message);
        Assert.Contains("epoch", error.Message);
        Assert.Contains("optimizer", error.Message);
        Assert.Contains("'state_dict'", error.Message);
    }
}
