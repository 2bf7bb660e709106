using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// What we write, nibabel reads with the same geometry and data: every generated case read and written back as an
/// image (header, codes and extensions kept) and as a float32 volume (geometry from the affine), plus new volumes
/// with oblique, sheared and LSA affines.
/// </summary>
[Collection(NibabelGeneratedCollection.Name)]
public sealed class NiftiRoundTripTests(NibabelGeneratedFiles files)
{
    /// <summary>NIfTI-1 stores the sform as float32: elements may move by a float32 rounding relative to the largest.</summary>
    private const double Float32Tolerance = 1e-6;

    public static TheoryData<string> CaseNames => new(NibabelCase.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ImageWrittenBackKeepsHeaderGeometryExtensionsAndData(string name)
    {
        using var scope = NewDisposeScope();
        var original = files.Oracle[name];
        var (written, _) = files.RoundTrip[name];
        using var source = NiftiReader.Read(files.PathOf(name));
        using var copy = NiftiReader.Read(files.ImageCopyOf(name));

        NiftiOracleAssert.Matches(written, copy);
        NiftiOracleAssert.AffineMatches(name, original.AffineValues, copy.Affine);
        Assert.Equal(original.AffineValues, written.AffineValues);
        Assert.Equal((original.QFormCode, original.SFormCode), (written.QFormCode, written.SFormCode));
        Assert.Equal(original.Zooms, written.Zooms);
        Assert.Equal(original.Extensions.Select(e => e[1].GetString()), written.Extensions.Select(e => e[1].GetString()));
        Assert.Equal(original.Description, written.Description);
        Assert.Equal(source.Data.dtype, copy.Data.dtype);
        Assert.True(source.Data.eq(copy.Data).logical_or(source.Data.isnan()).all().item<bool>(), $"{name}: data changed");
        // Scaled sources were read into float32 (float64 for float64 files); what we wrote is those values, unscaled.
        var scaled = source.Header.Scaling is { } s && (s.Slope, s.Intercept) != (1, 0);
        var storedType = scaled ? (source.Header.DataType == NiftiDataType.Float64 ? "float64" : "float32") : Bare(original.StoredDType);
        Assert.Equal(storedType, Bare(written.StoredDType));
        Assert.Equal((1.0, 0.0), (OracleRecord.Number(written.Slope), OracleRecord.Number(written.Inter)));
    }

    private static string Bare(string numpyType) => numpyType.TrimStart('<', '>', '=', '|');

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void VolumeWrittenBackHasTheAffineAndCodesByTheDocumentedRule(string name)
    {
        using var scope = NewDisposeScope();
        var c = NibabelGeneratedFiles.Case(name);
        var (_, written) = files.RoundTrip[name];
        using var source = NiftiReader.Read(files.PathOf(name));
        using var volume = source.ToVolume();
        using var copy = NiftiReader.Read(files.VolumeCopyOf(name));

        NiftiOracleAssert.Matches(written, copy);
        var scale = Math.Max(1, source.Affine.ToRowMajor().Max(Math.Abs));
        Assert.True(source.Affine.MaxAbsDifference(new AffineMatrix(written.AffineValues)) <= Float32Tolerance * scale,
            $"{name}: nibabel reads {new AffineMatrix(written.AffineValues)}, the volume's affine is {source.Affine}");

        var validQ = NiftiHeader.IsTransformCodeSet(source.Header.QFormCode) ? source.Header.QFormCode : 0;
        var validS = NiftiHeader.IsTransformCodeSet(source.Header.SFormCode) ? source.Header.SFormCode : 0;
        var expectedS = validS > 0 ? validS : validQ > 0 ? validQ : 2;
        var sheared = c.SFormDiffers && validS > 0;
        var expectedQ = sheared ? 0 : validQ > 0 ? validQ : expectedS;
        Assert.Equal((expectedQ, expectedS), (written.QFormCode, written.SFormCode));
        if (!sheared)
        {
            var qform = written.QForm.Select(OracleRecord.Number).ToArray();
            Assert.True(source.Affine.MaxAbsDifference(new AffineMatrix(qform)) <= 1e-5 * scale,
                $"{name}: nibabel's qform of the written volume {new AffineMatrix(qform)} differs from the affine {source.Affine}");
        }

        var expected = volume.Channels == 1 ? volume.Data.squeeze(0) : volume.Data.permute(1, 2, 3, 0);
        Assert.Equal(expected.shape, copy.Data.shape);
        Assert.True(expected.eq(copy.Data).logical_or(expected.isnan()).all().item<bool>(), $"{name}: voxels changed");
    }
}
