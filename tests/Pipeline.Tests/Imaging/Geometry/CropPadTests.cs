using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Tests.Imaging.Geometry;

public class CropPadTests
{
    [Fact]
    public void CropKeepsEveryVoxelAtItsWorldPosition()
    {
        using var source = TestVolumes.Counting([6, 7, 8], TestVolumes.Oblique, channels: 2);
        using var crop = CropPad.Crop(source, [1, 2, 3], [4, 3, 5]);
        Assert.Equal(new long[] { 4, 3, 5 }, crop.SpatialShape);
        Assert.Equal(TestVolumes.Oblique.Apply(1, 2, 3), crop.Affine.Apply(0, 0, 0));
        TestVolumes.AssertWorldConsistent(source, crop);
    }

    [Fact]
    public void PadFillsTheNewVoxelsAndShiftsTheOrigin()
    {
        using var source = TestVolumes.Counting([3, 4, 2], TestVolumes.Oblique);
        using var padded = CropPad.Pad(source, [1, 0, 2], [2, 3, 0], fill: -7);
        Assert.Equal(new long[] { 6, 7, 4 }, padded.SpatialShape);
        Assert.Equal(TestVolumes.Oblique.Apply(-1, 0, -2), padded.Affine.Apply(0, 0, 0));
        TestVolumes.AssertWorldConsistent(source, padded, fill: -7);
        Assert.Equal(6 * 7 * 4 - 3 * 4 * 2, TestVolumes.Values(padded).Count(value => value == -7));
    }

    [Fact]
    public void TheOppositeBoxUndoesACropExactlyInsideItAndZeroOutside()
    {
        using var source = TestVolumes.Counting([6, 6, 6], AffineMatrix.FromDiagonal(2, 2, 2, 1, 1, 1));
        using var crop = CropPad.Extract(source, [1, -1, 2], [3, 4, 5]);
        using var back = CropPad.Extract(crop, [-1, 1, -2], [6, 6, 6]);
        Assert.True(back.Affine.ApproximatelyEquals(source.Affine, 1e-12));
        TestVolumes.AssertWorldConsistent(crop, back, fill: 0);
    }

    [Fact]
    public void CropOutsideTheVolumeIsRejected()
    {
        using var source = TestVolumes.Counting([4, 4, 4], AffineMatrix.Identity);
        var error = Assert.Throws<ArgumentException>(() => CropPad.Crop(source, [2, 0, 0], [3, 4, 4]));
        Assert.Contains("[4, 4, 4]", error.Message);
    }
}
