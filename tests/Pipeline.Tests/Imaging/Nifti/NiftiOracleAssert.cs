using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>Compares an image read by <see cref="NiftiReader"/> with nibabel's view of the same file.</summary>
public static class NiftiOracleAssert
{
    /// <summary>
    /// Affine elements may differ by this much relative to the largest element: nibabel builds the qform in
    /// extended precision (numpy longdouble), we in double.
    /// </summary>
    public const double AffineTolerance = 1e-12;

    /// <summary>
    /// Shape, affine, transform codes, zooms, axis codes, scaling, extensions and every voxel. Voxels must be equal
    /// exactly: unscaled ones in the same type, scaled ones as nibabel's float64 value rounded once to float32 (or
    /// equal in float64 for float64 files); NaNs must be at the same places.
    /// </summary>
    public static void Matches(OracleRecord expected, NiftiImage actual)
    {
        var where = expected.Path;
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{where}: shape [{string.Join(", ", actual.Shape)}], nibabel [{string.Join(", ", expected.Shape)}]");
        Assert.Equal(expected.Version, actual.Header.Version);
        AffineMatches(where, expected.AffineValues, actual.Affine);
        Assert.Equal(expected.QFormCode, NiftiHeader.IsTransformCodeSet(actual.Header.QFormCode) ? actual.Header.QFormCode : 0);
        Assert.Equal(expected.SFormCode, NiftiHeader.IsTransformCodeSet(actual.Header.SFormCode) ? actual.Header.SFormCode : 0);
        Assert.True(expected.Zooms.SequenceEqual(actual.Header.Zooms), $"{where}: zooms [{string.Join(", ", actual.Header.Zooms)}], nibabel [{string.Join(", ", expected.Zooms)}]");
        Assert.Equal(expected.AxCodes, NiftiAxisCodes.FromAffine(actual.Affine));
        var (slope, inter) = actual.Header.Scaling ?? (1, 0);
        Assert.Equal(OracleRecord.Number(expected.Slope), slope);
        Assert.Equal(OracleRecord.Number(expected.Inter), inter);
        Assert.Equal(expected.Extensions.Select(e => e[0].GetInt32()), actual.Header.Extensions.Select(e => e.Code));
        foreach (var (theirs, ours) in expected.Extensions.Zip(actual.Header.Extensions))
        {
            // nibabel gives no bytes for extensions it parses (CIFTI); those are compared on rewrite, byte for byte.
            if (theirs[1].ValueKind == System.Text.Json.JsonValueKind.String)
                Assert.Equal(theirs[1].GetString(), Convert.ToHexStringLower(ours.Content.AsSpan().TrimEnd((byte)0)));
        }
        Assert.Equal(expected.StoredDType.TrimStart('<', '>', '='), actual.Header.DataType!.Name);
        DataMatches(where, expected, actual.Data);
    }

    /// <summary>Every affine element within <see cref="AffineTolerance"/> of nibabel's (relative to the largest element).</summary>
    public static void AffineMatches(string where, double[] expected, AffineMatrix actual)
    {
        var scale = Math.Max(1, expected.Max(Math.Abs));
        var difference = actual.MaxAbsDifference(new AffineMatrix(expected));
        Assert.True(difference <= AffineTolerance * scale,
            $"{where}: affine {actual} differs from nibabel's {new AffineMatrix(expected)} by {difference:E2}");
    }

    private static void DataMatches(string where, OracleRecord expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var reference = expected.LoadData();
        if (reference.dtype == ScalarType.Float64 && actual.dtype == ScalarType.Float32)
            reference = reference.to(ScalarType.Float32); // scaled: nibabel computes in float64; we round that once
        Assert.True(reference.dtype == actual.dtype, $"{where}: voxels are {actual.dtype}, nibabel's are {reference.dtype}");
        Assert.True(actual.is_contiguous(), $"{where}: the data tensor is not contiguous");
        if (reference.is_floating_point())
        {
            var nanActual = actual.isnan();
            var nanExpected = reference.isnan();
            Assert.True(nanActual.eq(nanExpected).all().item<bool>(), $"{where}: NaNs at different voxels");
            AllTrue(where, actual.eq(reference).logical_or(nanActual), actual, reference);
        }
        else
        {
            AllTrue(where, actual.eq(reference), actual, reference);
        }
    }

    private static void AllTrue(string where, Tensor same, Tensor actual, Tensor reference)
    {
        var mismatches = same.logical_not().sum().item<long>();
        if (mismatches == 0) return;
        var first = same.flatten().logical_not().nonzero()[0, 0].item<long>();
        Assert.Fail($"{where}: {mismatches} voxels differ; first at flat index {first}: ours {actual.flatten()[first].ToString(TorchSharp.TensorStringStyle.Julia)}, nibabel {reference.flatten()[first].ToString(TorchSharp.TensorStringStyle.Julia)}");
    }
}
