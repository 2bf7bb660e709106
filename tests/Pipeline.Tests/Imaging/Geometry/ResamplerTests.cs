using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Geometry;

public class ResamplerTests
{
    [Theory]
    // MONAI's rule: round((n - 1) * old / new) + 1, half to even.
    [InlineData(32, 1.0, 2.0, 17)] // 15.5 → 16
    [InlineData(31, 1.0, 2.0, 16)]
    [InlineData(30, 1.0, 2.0, 15)] // 14.5 → 14
    [InlineData(10, 1.5, 1.0, 15)] // 13.5 → 14
    [InlineData(16, 2.0, 1.0, 31)]
    [InlineData(1, 1.0, 3.0, 1)]
    public void SpacingGridSizeFollowsTheMonaiRule(long size, double oldSpacing, double newSpacing, long expected)
    {
        var source = new VoxelGrid([size, 5, 5], AffineMatrix.FromDiagonal(oldSpacing, 1, 1));
        Assert.Equal(expected, Resampler.SpacingGrid(source, [newSpacing, 1, 1]).Shape[0]);
    }

    [Fact]
    public void SpacingGridKeepsDirectionsAndVoxelZeroAndHasTheTargetSpacing()
    {
        var source = new VoxelGrid([20, 18, 9], TestVolumes.Oblique);
        var target = Resampler.SpacingGrid(source, [1.0, 1.25, 3.0]);
        Assert.Equal(new[] { 1.0, 1.25, 3.0 }, target.Spacing.Select(size => Math.Round(size, 12)));
        Assert.Equal(source.Affine.Origin(), target.Affine.Origin());
        for (var axis = 0; axis < 3; axis++)
        for (var row = 0; row < 3; row++)
            Assert.Equal(source.Affine[row, axis] / source.Spacing[axis], target.Affine[row, axis] / target.Spacing[axis], 12);
        // 19 * 1.5 / 1 = 28.5 → 28 (+1); 17 * 2 / 1.25 = 27.2 → 27 (+1); 8 * 2.5 / 3 = 6.67 → 7 (+1).
        Assert.Equal(new long[] { 29, 28, 8 }, target.Shape);
    }

    [Fact]
    public void SphereResampledTo2mmAndBackKeepsItsCentre()
    {
        double[] centre = [13.3, 15.1, 14.2];
        using var image = TestVolumes.Blob([32, 32, 32], centre, 3.0, AffineMatrix.FromDiagonal(1, 1, 1, -10, 5, 3));
        using var coarse = Resampler.ToSpacing(image, [2, 2, 2], Interpolation.Trilinear);
        using var back = Resampler.ToGrid(coarse, VoxelGrid.Of(image), Interpolation.Trilinear, PaddingMode.Border);

        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, coarse.Spacing);
        Assert.Equal(new long[] { 17, 17, 17 }, coarse.SpatialShape);
        var world = image.Affine.Apply(centre[0], centre[1], centre[2]);
        Assert.True(TestVolumes.Distance(TestVolumes.WorldCentreOfMass(coarse), world) < 1.0, "2 mm centre within half a 2 mm voxel");
        Assert.True(TestVolumes.Distance(TestVolumes.CentreOfMass(back), centre) < 0.5, "back on 1 mm within half a voxel");
        Assert.Equal(image.Affine, back.Affine);
    }

    [Fact]
    public void LabelsResampledWithNearestKeepTheirLabelSetDtypeAndCentre()
    {
        double[] centre = [10.4, 12.0, 9.6];
        using var label = TestVolumes.Ball([24, 24, 20], centre, 5, TestVolumes.Oblique, value: 3);
        using var coarse = Resampler.ToSpacing(label, [2.2, 2.6, 1.7], Interpolation.Nearest);
        using var back = Resampler.ToGrid(coarse, VoxelGrid.Of(label), Interpolation.Nearest, PaddingMode.Border);

        foreach (var result in new[] { coarse, back })
        {
            Assert.Equal(ScalarType.Int64, result.Data.dtype);
            Assert.Equal(new[] { 0.0, 3.0 }, TestVolumes.Values(result).Distinct().Order());
        }
        Assert.Equal(new[] { 2.2, 2.6, 1.7 }, coarse.Spacing.Select(size => Math.Round(size, 12)));
        var world = label.Affine.Apply(centre[0], centre[1], centre[2]);
        Assert.True(TestVolumes.Distance(TestVolumes.WorldCentreOfMass(coarse), world) < 0.5 * 1.7);
        Assert.True(TestVolumes.Distance(TestVolumes.CentreOfMass(back), centre) < 0.5);
    }

    [Fact]
    public void LabelMappedOntoAnImageGridShiftedByWholeVoxelsIsACopyWithZerosOutside()
    {
        using var label = TestVolumes.Counting([6, 5, 4], TestVolumes.Oblique);
        // The image grid starts two voxels further along i and one voxel before along k.
        var imageAffine = TestVolumes.Oblique.Multiply(AffineMatrix.FromDiagonal(1, 1, 1, 2, 0, -1));
        using var mapped = Resampler.ToGrid(label, new VoxelGrid([6, 5, 4], imageAffine), Interpolation.Nearest, PaddingMode.Zeros);
        Assert.Equal(imageAffine, mapped.Affine);
        TestVolumes.AssertWorldConsistent(label, mapped, fill: 0);
    }

    [Fact]
    public void IntegerLabelsBeyondFloat32PrecisionStayExact()
    {
        var values = tensor(new long[] { 0, 16_777_217, 123_456_789, 7 }).reshape(1, 4, 1, 1);
        using var label = new Volume(values, AffineMatrix.Identity);
        using var mapped = Resampler.ToGrid(label, VoxelGrid.Of(label), Interpolation.Nearest, PaddingMode.Zeros);
        Assert.True(TestVolumes.Same(label.Data, mapped.Data));
    }

    [Fact]
    public void ResamplingOntoItsOwnGridChangesNothing()
    {
        using var image = TestVolumes.Blob([9, 8, 7], [4, 3.5, 3], 2, TestVolumes.Oblique);
        using var same = Resampler.ToGrid(image, VoxelGrid.Of(image), Interpolation.Trilinear, PaddingMode.Zeros);
        Assert.True(image.Data.allclose(same.Data, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void RejectsInvalidSpacings()
    {
        var grid = new VoxelGrid([4, 4, 4], AffineMatrix.Identity);
        Assert.Throws<ArgumentException>(() => Resampler.SpacingGrid(grid, [1, 0, 1]));
        Assert.Throws<ArgumentException>(() => Resampler.SpacingGrid(grid, [1, 1]));
    }
}
