using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Geometry;

public class VolumeAxesTests
{
    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 2 })]
    [InlineData(new[] { 0, 1, 2 })]
    public void FlipsKeepWorldPositionsAndUndoThemselves(int[] axes)
    {
        using var source = TestVolumes.Counting([3, 4, 5], TestVolumes.Oblique);
        using var flipped = VolumeAxes.Flip(source, axes);
        TestVolumes.AssertWorldConsistent(source, flipped);
        using var back = VolumeAxes.Flip(flipped, axes);
        Assert.True(TestVolumes.Same(source.Data, back.Data));
        Assert.True(back.Affine.ApproximatelyEquals(source.Affine, 1e-12));
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 0, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(3, 2, 0)]
    public void QuarterTurnsKeepWorldPositionsAndAreUndoneByTheRest(int turns, int first, int second)
    {
        using var source = TestVolumes.Counting([3, 4, 5], TestVolumes.Oblique);
        using var turned = VolumeAxes.Rotate90(source, turns, first, second);
        TestVolumes.AssertWorldConsistent(source, turned);
        using var back = VolumeAxes.Rotate90(turned, 4 - turns, first, second);
        Assert.True(TestVolumes.Same(source.Data, back.Data));
        Assert.True(back.Affine.ApproximatelyEquals(source.Affine, 1e-12));
    }

    [Fact]
    public void OneQuarterTurnFollowsNumpyRot90()
    {
        // np.rot90([[0, 1, 2], [3, 4, 5]]) == [[2, 5], [1, 4], [0, 3]]
        using var source = new Volume(arange(6, dtype: ScalarType.Float32).reshape(1, 2, 3, 1), AffineMatrix.Identity);
        using var turned = VolumeAxes.Rotate90(source, 1, 0, 1);
        Assert.Equal(new[] { 2.0, 5, 1, 4, 0, 3 }, TestVolumes.Values(turned));
    }
}
