using Pipeline.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Checkpoints;

public sealed class StateDictLoaderTests
{
    /// <summary>conv.weight [4, 2, 3, 3, 3], conv.bias [4], norm.{weight,bias,running_mean,running_var} [4], norm.num_batches_tracked [].</summary>
    private static nn.Module Target() =>
        nn.Sequential(("conv", nn.Conv3d(2, 4, 3)), ("norm", nn.BatchNorm3d(4)));

    private static Dictionary<string, Tensor> MatchingStateDict(Generator generator) => new()
    {
        ["conv.weight"] = randn(new long[] { 4, 2, 3, 3, 3 }, generator: generator),
        ["conv.bias"] = randn(new long[] { 4 }, generator: generator),
        ["norm.weight"] = randn(new long[] { 4 }, generator: generator),
        ["norm.bias"] = randn(new long[] { 4 }, generator: generator),
        ["norm.running_mean"] = randn(new long[] { 4 }, generator: generator),
        ["norm.running_var"] = rand(new long[] { 4 }, generator: generator),
        ["norm.num_batches_tracked"] = tensor(5L),
    };

    [Fact]
    public void CopiesEveryTensorWhenKeysAndShapesMatch()
    {
        using var scope = NewDisposeScope();
        using var module = Target();
        var source = MatchingStateDict(new Generator(11));
        StateDictLoader.LoadStrict(module, source, "matching.pt");

        var loaded = module.state_dict();
        foreach (var (key, value) in source)
            Assert.True(loaded[key].equal(value).all().item<bool>(), $"{key} was not copied.");
    }

    [Fact]
    public void OneElementTensorFillsAScalarBuffer()
    {
        using var scope = NewDisposeScope();
        using var module = Target();
        var source = MatchingStateDict(new Generator(12));
        source["norm.num_batches_tracked"] = tensor(new long[] { 7 });
        StateDictLoader.LoadStrict(module, source, "pybridge.pt");
        Assert.Equal(7L, module.state_dict()["norm.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void ListsMissingUnexpectedAndMismatchedKeysTogetherAndCopiesNothing()
    {
        using var scope = NewDisposeScope();
        using var module = Target();
        var before = module.state_dict()["conv.bias"].clone();
        var source = MatchingStateDict(new Generator(13));
        source.Remove("norm.running_var");
        source.Remove("norm.bias");
        source["head.weight"] = zeros(3);
        source["conv.weight"] = zeros(new long[] { 8, 2, 3, 3, 3 });

        var error = Assert.Throws<InvalidDataException>(() => StateDictLoader.LoadStrict(module, source, "/models/wrong.pt"));

        Assert.Contains("/models/wrong.pt", error.Message);
        Assert.Contains("2 missing key(s)", error.Message);
        Assert.Contains("norm.running_var [4]", error.Message);
        Assert.Contains("norm.bias [4]", error.Message);
        Assert.Contains("1 unexpected key(s)", error.Message);
        Assert.Contains("head.weight [3]", error.Message);
        Assert.Contains("1 shape mismatch(es)", error.Message);
        Assert.Contains("conv.weight: model expects [4, 2, 3, 3, 3], file has [8, 2, 3, 3, 3]", error.Message);
        Assert.True(module.state_dict()["conv.bias"].equal(before).all().item<bool>(), "A failed load must not change the module.");
    }
}
