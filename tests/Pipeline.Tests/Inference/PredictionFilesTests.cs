using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Core.Inference;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

/// <summary>
/// <see cref="PredictionFiles"/>: on the source grid the source header's transforms are kept as they were (even a qform
/// that differs from the sform), elsewhere both come from the volume's affine; types follow the values.
/// </summary>
public sealed class PredictionFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-prediction-files-").FullName;

    /// <summary>A source header whose qform (a 90° turn about z, code 1) is not its sform (code 3), with a display range.</summary>
    private static NiftiHeader Source(long[] shape) => new()
    {
        Dim = [3, shape[0], shape[1], shape[2], 1, 1, 1, 1],
        PixDim = [-1, 2, 3, 4, 0, 0, 0, 0],
        QFormCode = 1, QuaternB = 0, QuaternC = 0, QuaternD = Math.Sqrt(0.5), QOffsetX = 5, QOffsetY = 6, QOffsetZ = 7,
        SFormCode = 3, SRowX = [-2, 0, 0, 10], SRowY = [0, 3, 0, -20], SRowZ = [0, 0, 4, 30],
        CalMin = -1000, CalMax = 1000, IntentCode = 2, XyztUnits = 10, SclSlope = 1, SclInter = 0,
    };

    [Fact]
    public void OnTheSourceGridBothTransformsAndCodesAreKeptAsTheyWere()
    {
        long[] shape = [5, 4, 3];
        var source = Source(shape);
        string path = Path.Combine(_folder, "labels.nii.gz");
        using (var labels = new Volume(arange(60, dtype: ScalarType.Int64).remainder(3).to_type(ScalarType.Byte).reshape(1, 5, 4, 3),
                                       source.BestAffine(), source))
            PredictionFiles.WriteLabels(path, labels);

        var written = NiftiReader.ReadHeader(path);
        // The quaternion went through float32; recomputing the qform from the sform would drop its 90° turn.
        Assert.True(source.QFormAffine().ApproximatelyEquals(written.QFormAffine(), 1e-6), $"qform {written.QFormAffine()}");
        Assert.Equal(source.SFormAffine(), written.SFormAffine());
        Assert.Equal((1, 3), (written.QFormCode, written.SFormCode));
        Assert.Equal(-1, written.PixDim[0]);
        Assert.Equal((0.0, 0.0, 0), (written.CalMin, written.CalMax, written.IntentCode));
        Assert.Equal(NiftiDataType.UInt8.Code, written.DataTypeCode);
        Assert.Equal(PredictionFiles.LabelDescription, written.Description);
    }

    [Fact]
    public void OffTheSourceGridBothTransformsComeFromTheAffineAndWideLabelsAreInt16()
    {
        long[] shape = [5, 4, 3];
        var source = Source(shape);
        var moved = AffineMatrix.FromDiagonal(1, 1, 1, 3, 2, 1);
        string path = Path.Combine(_folder, "labels.nii");
        using (var labels = new Volume(full(new long[] { 1, 5, 4, 3 }, 300, dtype: ScalarType.Int16), moved, source))
            PredictionFiles.WriteLabels(path, labels);

        var written = NiftiReader.ReadHeader(path);
        Assert.Equal(moved, written.SFormAffine());
        Assert.True(moved.ApproximatelyEquals(written.QFormAffine(), 1e-5));
        Assert.Equal((1, 3), (written.QFormCode, written.SFormCode));
        Assert.Equal(NiftiDataType.Int16.Code, written.DataTypeCode);
    }

    [Fact]
    public void ProbabilitiesAreFourDimensionalFloat32WithUnitStepsOnTheClassAxis()
    {
        long[] shape = [5, 4, 3];
        var source = Source(shape);
        string path = Path.Combine(_folder, "probabilities.nii.gz");
        var values = rand(new long[] { 3, 5, 4, 3 }).softmax(0);
        using (var probabilities = new Volume(values.alias(), source.BestAffine(), source))
            PredictionFiles.WriteProbabilities(path, probabilities);

        using var written = NiftiReader.Read(path);
        Assert.Equal([5L, 4, 3, 3], written.Shape);
        Assert.Equal(NiftiDataType.Float32.Code, written.Header.DataTypeCode);
        Assert.Equal(1, written.Header.PixDim[4]);
        Assert.True(written.Data.permute(3, 0, 1, 2).equal(values).all().item<bool>());
        Assert.Equal(source.SFormAffine(), written.Header.SFormAffine());
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
