using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// Orientation codes (nibabel's aff2axcodes) for known affines; agreement with nibabel on oblique and sheared
/// affines is covered by the conformance tests, which compare axis codes for every generated file.
/// </summary>
public sealed class NiftiAxisCodesTests
{
    [Theory]
    [InlineData(new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, "RAS")]
    [InlineData(new double[] { -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, "LAS")]
    [InlineData(new double[] { -2, 0, 0, 0, 0, 0, 3, -254, 0, 2, 0, 0 }, "LSA")]
    [InlineData(new double[] { -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0 }, "LPS")]
    [InlineData(new double[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, -1, 0, 0 }, "AIR")]
    [InlineData(new double[] { 0.9, 0.5, 0, 0, -0.4, 0.9, 0, 0, 0, 0, -3, 0 }, "RAI")]
    public void KnownOrientations(double[] rows, string expected) =>
        Assert.Equal(expected, NiftiAxisCodes.FromAffine(new AffineMatrix([.. rows, 0, 0, 0, 1])));

    [Fact]
    public void AnAxisWithoutDirectionHasNoCode()
    {
        var affine = new AffineMatrix([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        Assert.Equal("R?S", NiftiAxisCodes.FromAffine(affine));
        Assert.Null(NiftiAxisCodes.Orientation(affine)[1]);
    }

    [Fact]
    public void EachWorldAxisIsTakenOnceEvenAt45Degrees()
    {
        var c = Math.Sqrt(0.5);
        var codes = NiftiAxisCodes.FromAffine(new AffineMatrix([c, -c, 0, 0, c, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
        Assert.Equal(3, codes.Distinct().Count());
        Assert.Equal('S', codes[2]);
    }

    [Fact]
    public void QuaternionRoundTripsRotationsWithEitherHandedness()
    {
        var random = new Random(5);
        for (var n = 0; n < 200; n++)
        {
            double w = random.NextDouble() - 0.5, x = random.NextDouble() - 0.5, y = random.NextDouble() - 0.5, z = random.NextDouble() - 0.5;
            var norm = Math.Sqrt(w * w + x * x + y * y + z * z);
            (w, x, y, z) = (w / norm, x / norm, y / norm, z / norm);
            if (w < 0) (w, x, y, z) = (-w, -x, -y, -z);
            var qfac = n % 2 == 0 ? 1.0 : -1.0;
            var expected = new AffineMatrix(NiftiQuaternion.ToAffine(x, y, z, qfac, 0.5 + n % 3, 1.5, 2.5, n, -n, 2 * n));
            var (b, c, d, foundQfac, zooms, offset, hasShear) = NiftiQuaternion.FromAffine(expected);
            Assert.False(hasShear);
            var rebuilt = new AffineMatrix(NiftiQuaternion.ToAffine(b, c, d, foundQfac, zooms[0], zooms[1], zooms[2], offset[0], offset[1], offset[2]));
            Assert.True(rebuilt.ApproximatelyEquals(expected, 1e-12), $"{expected} -> {rebuilt}");
            Assert.Equal(qfac, foundQfac);
        }
    }
}
