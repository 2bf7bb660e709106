using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

public sealed class DropPathTests
{
    [Fact]
    public void IsTheIdentityInEvaluation()
    {
        using var scope = NewDisposeScope();
        using var dropPath = new DropPath(0.5);
        dropPath.eval();
        var x = randn(new long[] { 4, 2, 3, 3, 3 }, generator: new Generator(61));
        Assert.True(dropPath.call(x).equal(x).all().item<bool>());
    }

    [Fact]
    public void DropsOrRescalesWholeSamplesInTraining()
    {
        using var scope = NewDisposeScope();
        using var dropPath = new DropPath(0.5);
        dropPath.train();
        var x = rand(new long[] { 64, 2, 2, 2, 2 }, generator: new Generator(62)) + 1;
        var y = dropPath.call(x);
        int dropped = 0;
        for (int sample = 0; sample < 64; sample++)
        {
            var ratio = y[sample] / x[sample];
            double low = ratio.min().item<float>(), high = ratio.max().item<float>();
            Assert.True(Math.Abs(high - low) < 1e-6, "A sample must be dropped or kept as a whole.");
            Assert.True(Math.Abs(low) < 1e-6 || Math.Abs(low - 2) < 1e-5, $"Kept samples are scaled by 1/(1-p) = 2, got {low}.");
            if (Math.Abs(low) < 1e-6) dropped++;
        }
        Assert.InRange(dropped, 1, 63);
    }

    [Fact]
    public void RejectsProbabilityOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropPath(1.0));
}
