using Pipeline.Plugins.Models.Blocks;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary>MONAI's Swin window geometry: effective window/shift, partition order, region masks, relative index.</summary>
public sealed class SwinWindowsTests
{
    [Fact]
    public void AxesNoLongerThanTheWindowUseTheirExtentAndNoShift()
    {
        var (window, shift) = SwinWindows.Effective(new long[] { 4, 16, 7 }, [7, 7, 7], [3, 3, 3]);
        Assert.Equal(new[] { 4, 7, 7 }, window);
        Assert.Equal(new[] { 0, 3, 0 }, shift);
        Assert.Equal(21, SwinWindows.Padded(16, 7));
        Assert.Equal(14, SwinWindows.Padded(14, 7));
    }

    [Fact]
    public void PartitionOrdersWindowsBatchFirstAndTokensDepthFirst()
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 4 * 4 * 4 * 3, ScalarType.Float32).view(2, 4, 4, 4, 3);
        var windows = SwinWindows.Partition(x, [2, 2, 2]);
        Assert.Equal(new long[] { 16, 8, 3 }, windows.shape);
        // Window 1 of batch 0 is d 0..1, h 0..1, w 2..3; its token 1 is (d 0, h 0, w 3).
        Assert.True(Same(windows[1, 1], x[0, 0, 0, 3]));
        // Window 2 is d 0..1, h 2..3, w 0..1; token 2 is (d 0, h 3, w 0); window 8 starts batch 1.
        Assert.True(Same(windows[2, 2], x[0, 0, 3, 0]));
        Assert.True(Same(windows[8, 0], x[1, 0, 0, 0]));
        Assert.True(Same(SwinWindows.Reverse(windows, [2, 2, 2], 2, 4, 4, 4), x));
    }

    [Fact]
    public void UnshiftedAxesGetOneRegionAsPythonSlicesGiveIt()
    {
        using var scope = NewDisposeScope();
        // Along w (shift 1) the regions are [:-2], [-2:-1], [-1:]; along d and h the shift is 0, so [-0:] covers the
        // whole axis last and only the w regions remain.
        var mask = SwinWindows.RegionMask([2, 2, 4], [2, 2, 2], [0, 0, 1]);
        Assert.Equal(new long[] { 2, 8, 8 }, mask.shape);
        Assert.Equal(0, mask[0].abs().sum().item<float>());
        // Window 1 holds w = 2 (even tokens) and w = 3 (odd tokens): different regions.
        Assert.Equal(SwinWindows.MaskedLogit, mask[1, 0, 1].item<float>());
        Assert.Equal(0f, mask[1, 0, 2].item<float>());
        Assert.Equal(0f, mask[1, 1, 3].item<float>());
        Assert.Equal(0, SwinWindows.RegionMask([4, 4, 4], [2, 2, 2], [0, 0, 0]).abs().sum().item<float>());
    }

    [Fact]
    public void ShiftedMaskSeparatesRegionsOnlyInWindowsThatStraddleThem()
    {
        using var scope = NewDisposeScope();
        var mask = SwinWindows.RegionMask([14, 14, 14], [7, 7, 7], [3, 3, 3]);
        Assert.Equal(new long[] { 8, 343, 343 }, mask.shape);
        var masked = mask.ne(0).flatten(1).any(1);
        Assert.False(masked[0].item<bool>());
        for (int window = 1; window < 8; window++) Assert.True(masked[window].item<bool>());
        Assert.True(Same(mask, mask.transpose(1, 2)));
        // In the last window along w, tokens w = 7..10 and w = 11..13 are different regions.
        Assert.Equal(SwinWindows.MaskedLogit, mask[1, 0, 4].item<float>());
        Assert.Equal(0f, mask[1, 0, 3].item<float>());
    }

    [Fact]
    public void RelativePositionIndexIsMonaisConstruction()
    {
        using var scope = NewDisposeScope();
        var index = WindowAttention.RelativePositionIndex([7, 7, 7]);
        Assert.Equal(ScalarType.Int64, index.dtype);
        Assert.Equal(new long[] { 343, 343 }, index.shape);
        Assert.Equal(1098L, index[0, 0].item<long>()); // centre of the 13³ table: 6·169 + 6·13 + 6
        Assert.Equal(0L, index[0, 342].item<long>());
        Assert.Equal(2196L, index[342, 0].item<long>());
        Assert.True(index.diagonal().eq(1098).all().item<bool>());
        // Tokens 1 and 2 are (0, 0, 1) and (0, 0, 2): Δw = −1, so index[1, 2] = 6·169 + 6·13 + (−1 + 6).
        Assert.Equal(6L * 169 + 6 * 13 + 5, index[1, 2].item<long>());
    }

    [Theory]
    [InlineData(35, 7, 3)]
    [InlineData(14, 7, 3)]
    [InlineData(21, 7, 0)]
    public void GroupedMaskPartitionsTheWindowsByPatternAndInvertsTheOrder(long padded, int window, int shift)
    {
        using var scope = NewDisposeScope();
        using var mask = SwinWindowMask.Build([padded, padded, padded], [window, window, window], [shift, shift, shift], CPU, ScalarType.Float32);
        Assert.True(Same(mask.Full, SwinWindows.RegionMask([padded, padded, padded], [window, window, window], [shift, shift, shift])));
        long windows = (padded / window) * (padded / window) * (padded / window);
        Assert.Equal(windows, mask.WindowCount);
        Assert.InRange(mask.Groups.Count, 1, 8);
        if (shift == 0) Assert.Single(mask.Groups);

        var order = cat(mask.Groups.Select(g => g.Windows).ToArray());
        Assert.True(Same(order.sort().Values, arange(windows, ScalarType.Int64)));
        Assert.True(Same(order.index_select(0, mask.Inverse), arange(windows, ScalarType.Int64)));
        foreach (var (members, pattern) in mask.Groups)
            Assert.True(Same(mask.Full.index_select(0, members), pattern.unsqueeze(0).expand(members.shape[0], -1, -1)));
        // Windows away from the far faces lie inside one region: (m - 1)³ of the m³ windows share the all-zero pattern
        // (all of them without a shift).
        long perAxis = padded / window;
        long interior = shift == 0 ? windows : (perAxis - 1) * (perAxis - 1) * (perAxis - 1);
        var zero = Assert.Single(mask.Groups, g => g.Mask.abs().sum().item<float>() == 0);
        Assert.Equal(interior, zero.Windows.shape[0]);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
