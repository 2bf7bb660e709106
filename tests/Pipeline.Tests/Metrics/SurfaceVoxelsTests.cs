using Pipeline.Core.Metrics;

namespace Pipeline.Tests.Metrics;

public class SurfaceVoxelsTests
{
    private static bool[] Box(int[] shape, int[] low, int[] high)
    {
        var mask = new bool[shape[0] * shape[1] * shape[2]];
        for (int i = low[0]; i < high[0]; i++)
        for (int j = low[1]; j < high[1]; j++)
        for (int k = low[2]; k < high[2]; k++)
            mask[(i * shape[1] + j) * shape[2] + k] = true;
        return mask;
    }

    [Fact]
    public void ACubeInsideTheGridHasItsShellAsSurface()
    {
        // 4³ cube: 64 voxels, of which the 2³ core has all six neighbours inside.
        var surface = SurfaceVoxels.Of(Box([8, 8, 8], [2, 2, 2], [6, 6, 6]), [8, 8, 8], out long count);
        Assert.Equal(56, count);
        Assert.Equal(56, surface.Count(s => s));
        Assert.False(surface[(3 * 8 + 3) * 8 + 3]);  // core voxel
        Assert.True(surface[(2 * 8 + 3) * 8 + 3]);   // face voxel
    }

    [Fact]
    public void FaceConnectivityKeepsEdgeNeighboursOut()
    {
        // A 3-D plus sign: the centre's six face neighbours are in the mask, its diagonal neighbours are not. Face
        // connectivity (SciPy's default erosion, which MONAI uses) keeps the centre off the surface; a full 3×3×3
        // erosion would put it on.
        var plus = new bool[5 * 5 * 5];
        int Index(int i, int j, int k) => (i * 5 + j) * 5 + k;
        foreach (var (i, j, k) in new[] { (2, 2, 2), (1, 2, 2), (3, 2, 2), (2, 1, 2), (2, 3, 2), (2, 2, 1), (2, 2, 3) })
            plus[Index(i, j, k)] = true;
        var surface = SurfaceVoxels.Of(plus, [5, 5, 5], out long count);
        Assert.Equal(6, count);
        Assert.False(surface[Index(2, 2, 2)]);
    }

    [Fact]
    public void VoxelsOnTheGridFacesAreSurfaceVoxels()
    {
        // The whole 3×4×5 grid filled: everything except the 1×2×3 core lies on the grid's faces.
        var surface = SurfaceVoxels.Of(Enumerable.Repeat(true, 60).ToArray(), [3, 4, 5], out long count);
        Assert.Equal(60 - 6, count);
        Assert.False(surface[(1 * 4 + 1) * 5 + 2]);
        SurfaceVoxels.Of(new bool[60], [3, 4, 5], out long none);
        Assert.Equal(0, none);
    }

    [Fact]
    public void RejectsShapesThatDoNotFit()
    {
        Assert.Throws<ArgumentException>(() => SurfaceVoxels.Of(new bool[10], [2, 5], out _));
        Assert.Throws<ArgumentException>(() => SurfaceVoxels.Of(new bool[10], [2, 5, 2], out _));
    }
}
