using System.Text.Json;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Tests.Imaging.Geometry;

public class OrientationTests
{
    // i → Left, j → Superior, k → Anterior; 0.8 × 1.2 × 2 mm; origin (40, -30, 10).
    private static readonly AffineMatrix Lsa = new([-0.8, 0, 0, 40, 0, 0, 2, -30, 0, 1.2, 0, 10, 0, 0, 0, 1]);

    // DICOM-style LPS: i → Left, j → Posterior, k → Superior.
    private static readonly AffineMatrix Lps = AffineMatrix.FromDiagonal(-0.9, -0.9, 3, 100, 120, -50);

    [Theory]
    [InlineData("RAS")]
    [InlineData("LPS")]
    [InlineData("LSA")]
    [InlineData("PIR")]
    public void AxisCodesRoundTripThroughTheirAffine(string codes)
    {
        var orientation = Orientation.FromAxisCodes(codes);
        // An affine with unit voxels along the coded directions.
        var values = new double[16];
        for (var axis = 0; axis < 3; axis++) values[orientation.WorldAxis(axis) * 4 + axis] = orientation.Direction(axis);
        values[15] = 1;
        Assert.Equal(codes, Orientation.FromAffine(new AffineMatrix(values)).AxisCodes);
    }

    [Fact]
    public void CodesOfHandBuiltAffines()
    {
        Assert.Equal("LSA", Orientation.FromAffine(Lsa).AxisCodes);
        Assert.Equal("LPS", Orientation.FromAffine(Lps).AxisCodes);
        Assert.Equal("RAS", Orientation.FromAffine(TestVolumes.Oblique).AxisCodes);
    }

    [Theory]
    [InlineData("RA")]
    [InlineData("RAX")]
    [InlineData("RLS")]
    public void InvalidCodesAreRejectedWithTheReason(string codes)
    {
        var error = Assert.Throws<ArgumentException>(() => Orientation.FromAxisCodes(codes));
        Assert.Contains($"'{codes}'", error.Message);
    }

    [Fact]
    public void LsaToRasMovesVoxelsButNoWorldPositionAndComesBackExactly()
    {
        using var source = TestVolumes.Counting([3, 4, 5], Lsa);
        var toRas = Orientation.FromAffine(Lsa).To(Orientation.Ras);
        using var ras = toRas.Apply(source);

        // i (L) reversed into x; k (A) becomes y; j (S) becomes z.
        Assert.Equal(new long[] { 3, 5, 4 }, ras.SpatialShape);
        Assert.Equal("RAS", Orientation.FromAffine(ras.Affine).AxisCodes);
        var expected = new AffineMatrix([0.8, 0, 0, 40 - 0.8 * 2, 0, 2, 0, -30, 0, 0, 1.2, 10, 0, 0, 0, 1]);
        Assert.True(ras.Affine.ApproximatelyEquals(expected, 1e-12), $"{ras.Affine} vs {expected}");
        TestVolumes.AssertWorldConsistent(source, ras);

        using var back = toRas.Inverse().Apply(ras);
        Assert.True(TestVolumes.Same(source.Data, back.Data));
        Assert.True(back.Affine.ApproximatelyEquals(source.Affine, 1e-12));
    }

    [Fact]
    public void LpsToRasKeepsTheWorldBoxOfTheVoxelCorners()
    {
        using var source = TestVolumes.Counting([4, 3, 2], Lps);
        using var ras = Orientation.FromAffine(Lps).To(Orientation.Ras).Apply(source);
        TestVolumes.AssertWorldConsistent(source, ras);
        Assert.Equal(CornerBox(source), CornerBox(ras));
    }

    [Fact]
    public void MatchesNibabelOnStraightAndObliqueAffines()
    {
        AffineMatrix[] affines =
        [
            Lsa,
            Lps,
            TestVolumes.Oblique,
            // Rotated by 40° about x and sheared: the nearest orthogonal matrix decides, not the raw columns.
            new([1, 0.3, 0, 5, 0, Math.Cos(0.7) * 2, -Math.Sin(0.7) * 2, 6, 0, Math.Sin(0.7) * 2, Math.Cos(0.7) * 2, 7, 0, 0, 0, 1]),
            new([0, 0, -1.5, 1, -2, 0, 0, 2, 0, 1, 0, 3, 0, 0, 0, 1]),
            // i at 44° and j at -30° in the x-y plane: i's raw column leans to x, its orthogonal factor to y.
            new([1.2 * Math.Cos(0.768), 0.9 * Math.Cos(-0.524), 0, 0, 1.2 * Math.Sin(0.768), 0.9 * Math.Sin(-0.524), 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]),
        ];
        long[] shape = [3, 4, 5];
        const string script = """
            import json, sys
            import numpy as np
            import nibabel as nib
            from nibabel.orientations import io_orientation, ornt_transform, axcodes2ornt, apply_orientation, inv_ornt_aff, ornt2axcodes
            out = []
            for case in json.load(sys.stdin):
                aff = np.array(case["affine"], dtype=float).reshape(4, 4)
                shape = tuple(case["shape"])
                start = io_orientation(aff)
                ornt = ornt_transform(start, axcodes2ornt("RAS"))
                data = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
                moved = apply_orientation(data, ornt)
                out.append({"codes": "".join(ornt2axcodes(start)), "affine": (aff @ inv_ornt_aff(ornt, shape)).ravel().tolist(),
                            "shape": list(moved.shape), "data": moved.ravel().tolist()})
            print(json.dumps(out))
            """;
        var reference = PythonReference.Run(script, affines.Select(affine => new { affine = affine.ToRowMajor(), shape }).ToArray());

        for (var index = 0; index < affines.Length; index++)
        {
            var expected = reference[index];
            using var source = TestVolumes.Counting(shape, affines[index]);
            var orientation = Orientation.FromAffine(affines[index]);
            using var ras = orientation.To(Orientation.Ras).Apply(source);
            Assert.Equal(expected.GetProperty("codes").GetString(), orientation.AxisCodes);
            Assert.Equal(Numbers(expected.GetProperty("shape")).Select(size => (long)size), ras.SpatialShape);
            Assert.Equal(Numbers(expected.GetProperty("data")), TestVolumes.Values(ras));
            Assert.True(ras.Affine.ApproximatelyEquals(new AffineMatrix(Numbers(expected.GetProperty("affine"))), 1e-9),
                $"affine {index}: {ras.Affine} vs nibabel {string.Join(", ", Numbers(expected.GetProperty("affine")))}");
        }
    }

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(item => item.GetDouble()).ToArray();

    // The world bounding box of all voxel corners (voxel centres ± 0.5), rounded to 1e-9 mm.
    private static string CornerBox(Volume volume)
    {
        var shape = volume.SpatialShape;
        var low = new[] { double.MaxValue, double.MaxValue, double.MaxValue };
        var high = new[] { double.MinValue, double.MinValue, double.MinValue };
        foreach (var ci in new[] { -0.5, shape[0] - 0.5 })
        foreach (var cj in new[] { -0.5, shape[1] - 0.5 })
        foreach (var ck in new[] { -0.5, shape[2] - 0.5 })
        {
            var world = volume.Affine.Apply(ci, cj, ck);
            for (var axis = 0; axis < 3; axis++)
            {
                low[axis] = Math.Min(low[axis], world[axis]);
                high[axis] = Math.Max(high[axis], world[axis]);
            }
        }
        return string.Join(";", low.Concat(high).Select(value => Math.Round(value, 9).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
