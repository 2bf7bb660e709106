using Pipeline.Plugins.Models.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary><see cref="PatchMerging"/>: the three MONAI sub-grid orders, key layout and output shape.</summary>
public sealed class PatchMergingTests
{
    [Fact]
    public void OrdersAreMonaisPerVersion()
    {
        using var scope = NewDisposeScope();
        using var current = new PatchMerging(4, PatchMergingOrder.Merging);
        using var legacy = new PatchMerging(4, PatchMergingOrder.MergingLegacy);
        using var v2 = new PatchMerging(4, PatchMergingOrder.Mergingv2);
        Assert.Equal([(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)], current.Offsets);
        // MONAI 0.9-1.4: (0,1,0) and (0,0,1) twice, (1,1,0) and (0,1,1) never.
        Assert.Equal([(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (0, 1, 0), (0, 0, 1), (1, 1, 1)], legacy.Offsets);
        Assert.Equal([(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)], v2.Offsets);
    }

    [Theory]
    [InlineData(PatchMergingOrder.Merging)]
    [InlineData(PatchMergingOrder.MergingLegacy)]
    [InlineData(PatchMergingOrder.Mergingv2)]
    public void ConcatenatesTheSubGridsInOrderThenNormalisesAndReduces(PatchMergingOrder order)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        using var merging = new PatchMerging(3, order);
        Assert.Equal(["norm.bias", "norm.weight", "reduction.weight"], merging.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 6, 24 }, merging.reduction.weight!.shape);
        using (no_grad())
        {
            merging.norm.weight!.add_(randn(24, generator: generator));
            merging.norm.bias!.add_(randn(24, generator: generator));
        }
        var x = randn(new long[] { 2, 4, 6, 2, 3 }, generator: generator);
        using var noGrad = no_grad();
        var y = merging.call(x);
        Assert.Equal(new long[] { 2, 2, 3, 1, 6 }, y.shape);

        var parts = merging.Offsets.Select(o => x[.., TensorIndex.Slice(o.D, null, 2), TensorIndex.Slice(o.H, null, 2), TensorIndex.Slice(o.W, null, 2)]).ToArray();
        var expected = merging.reduction.call(nn.functional.layer_norm(cat(parts, -1), [24], merging.norm.weight, merging.norm.bias, 1e-5));
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void TheOrdersGiveDifferentResultsForTheSameWeights()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 1, 2, 2, 2, 2 }, generator: new Generator(9));
        using var current = new PatchMerging(2, PatchMergingOrder.Merging);
        using var legacy = new PatchMerging(2, PatchMergingOrder.MergingLegacy);
        legacy.load_state_dict(current.state_dict());
        using var noGrad = no_grad();
        Assert.False(current.call(x).allclose(legacy.call(x)));
    }

    [Fact]
    public void OddExtentsArePaddedOnTheFarSide()
    {
        using var scope = NewDisposeScope();
        using var merging = new PatchMerging(2);
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 2, 1, 2, 4 }, merging.call(randn(new long[] { 1, 3, 2, 3, 2 })).shape);
    }
}
