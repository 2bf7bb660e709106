using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>Volumes written from scratch (no source header) and with writer options, checked through nibabel.</summary>
public sealed class NiftiWriterTests(NiftiWriterTests.Written written) : IClassFixture<NiftiWriterTests.Written>
{
    /// <summary>The ITK head T1's affine: 2×2×3 mm, i → left, j → superior, k → anterior.</summary>
    public static readonly AffineMatrix Lsa = new([-2, 0, 0, 0, 0, 0, 3, -254, 0, 2, 0, 0, 0, 0, 0, 1]);

    /// <summary>An affine with shears, which a qform cannot represent.</summary>
    public static readonly AffineMatrix Sheared = new([1.5, 0.4, 0, -20, 0, 2, 0.3, 10, 0, 0, 2.5, 5, 0, 0, 0, 1]);

    /// <summary>An oblique affine: 30° about z, then 10° about x, with anisotropic voxels.</summary>
    public static readonly AffineMatrix Oblique = Rotation(30, 10).Multiply(AffineMatrix.FromDiagonal(0.9, 1.1, 2.2, -50, 60, -70));

    private static AffineMatrix Rotation(double aboutZ, double aboutX)
    {
        double z = aboutZ * Math.PI / 180, x = aboutX * Math.PI / 180;
        var rz = new AffineMatrix([Math.Cos(z), -Math.Sin(z), 0, 0, Math.Sin(z), Math.Cos(z), 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        var rx = new AffineMatrix([1, 0, 0, 0, 0, Math.Cos(x), -Math.Sin(x), 0, 0, Math.Sin(x), Math.Cos(x), 0, 0, 0, 0, 1]);
        return rx.Multiply(rz);
    }

    /// <summary>The files, written once, and nibabel's view of them.</summary>
    public sealed class Written : IDisposable
    {
        public Written()
        {
            Folder = Directory.CreateTempSubdirectory("nifti-writer-").FullName;
            using var scope = NewDisposeScope();
            using (var lsa = new Volume(arange(120, dtype: ScalarType.Byte).reshape(1, 4, 5, 6), Lsa))
                NiftiWriter.Write(PathOf("lsa"), lsa);
            using (var sheared = new Volume(randn(1, 3, 4, 5), Sheared))
                NiftiWriter.Write(PathOf("sheared"), sheared);
            using (var oblique = new Volume(randn(3, 4, 5, 6), Oblique))
                NiftiWriter.Write(PathOf("oblique-4d-v2"), oblique, new NiftiWriteOptions { Version = 2, Description = "three channels" });
            using (var counts = new Volume(linspace(0, 65535, 60).reshape(1, 3, 4, 5), Lsa))
                NiftiWriter.Write(PathOf("as-uint16"), counts, new NiftiWriteOptions { DataType = NiftiDataType.UInt16 });
            var template = new NiftiHeader
            {
                QFormCode = 1, SFormCode = 4, IntentCode = 1002, Description = "labels", XyztUnits = 10,
                Extensions = [new NiftiExtension(6, "kept"u8.ToArray())],
            };
            using (var labels = new Volume(tensor(new long[] { 0, 1, 2, 3, 4, 5 }).reshape(1, 1, 2, 3), Oblique, template))
                NiftiWriter.Write(PathOf("template"), labels);
            Records = NibabelOracle.Describe(Names.Select(PathOf).ToList(), Path.Combine(Folder, "oracle"))
                .Select((record, n) => (Names[n], record)).ToDictionary(item => item.Item1, item => item.record);
        }

        public static readonly string[] Names = ["lsa", "sheared", "oblique-4d-v2", "as-uint16", "template"];

        public string Folder { get; }

        public IReadOnlyDictionary<string, OracleRecord> Records { get; }

        public string PathOf(string name) => Path.Combine(Folder, name + ".nii.gz");

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private static void AffineWithin(double[] expected, AffineMatrix actual, double tolerance) =>
        Assert.True(actual.MaxAbsDifference(new AffineMatrix(expected)) <= tolerance, $"nibabel {new AffineMatrix(expected)}, ours {actual}");

    [Fact]
    public void ANewVolumeGetsAlignedCodesMillimetresAndItsOrientation()
    {
        var record = written.Records["lsa"];
        Assert.Equal("LSA", record.AxCodes);
        Assert.Equal((2, 2), (record.QFormCode, record.SFormCode));
        Assert.Equal("uint8", record.StoredDType.TrimStart('<', '|', '='));
        Assert.Equal(2, record.XyztUnits);
        Assert.Equal(Lsa.ToRowMajor(), record.AffineValues);
        AffineWithin(record.QForm.Select(OracleRecord.Number).ToArray(), Lsa, 1e-6);
        using var image = NiftiReader.Read(written.PathOf("lsa"));
        NiftiOracleAssert.Matches(record, image);
    }

    [Fact]
    public void AShearedAffineGoesToTheSformAndTheQformIsMarkedUnused()
    {
        var record = written.Records["sheared"];
        Assert.Equal((0, 2), (record.QFormCode, record.SFormCode));
        AffineWithin(record.AffineValues, Sheared, 1e-6);
    }

    [Fact]
    public void ChannelsBecomeTheFourthDimensionInNifti2()
    {
        var record = written.Records["oblique-4d-v2"];
        Assert.Equal(2, record.Version);
        Assert.Equal([4L, 5, 6, 3], record.Shape);
        Assert.Equal("three channels", record.Description);
        AffineWithin(record.AffineValues, Oblique, 1e-12);
        AffineWithin(record.QForm.Select(OracleRecord.Number).ToArray(), Oblique, 1e-12);
        Assert.Equal(NiftiAxisCodes.FromAffine(Oblique), record.AxCodes);
    }

    [Fact]
    public void FloatsWrittenAsAnIntegerTypeAreRounded()
    {
        var record = written.Records["as-uint16"];
        Assert.Equal("uint16", record.StoredDType.TrimStart('<', '|', '='));
        using var stored = record.LoadData();
        using var expected = linspace(0, 65535, 60).reshape(3, 4, 5).round().to(ScalarType.Int32);
        Assert.True(stored.eq(expected).all().item<bool>());
    }

    [Fact]
    public void ASourceHeaderLendsCodesIntentUnitsAndExtensions()
    {
        var record = written.Records["template"];
        Assert.Equal((1, 4), (record.QFormCode, record.SFormCode));
        Assert.Equal(1002, record.IntentCode);
        Assert.Equal(10, record.XyztUnits);
        Assert.Equal("labels", record.Description);
        Assert.Equal(6, Assert.Single(record.Extensions)[0].GetInt32());
        Assert.Equal("int64", record.StoredDType.TrimStart('<', '|', '='));
        Assert.Equal([1L, 2, 3], record.Shape);
    }

    [Fact]
    public void ValuesOutsideTheChosenTypeAreRefusedAndNothingIsWritten()
    {
        var path = Path.Combine(written.Folder, "refused.nii");
        using var scope = NewDisposeScope();
        using var big = new Volume(full(1, 2, 2, 2, 300f), Lsa);
        var error = Assert.Throws<ArgumentException>(() => NiftiWriter.Write(path, big, new NiftiWriteOptions { DataType = NiftiDataType.UInt8 }));
        Assert.Contains("do not fit uint8", error.Message);
        using var nan = new Volume(full(1, 2, 2, 2, float.NaN), Lsa);
        Assert.Throws<ArgumentException>(() => NiftiWriter.Write(path, nan, new NiftiWriteOptions { DataType = NiftiDataType.Int16 }));
        Assert.Throws<ArgumentException>(() => NiftiWriter.Write(Path.Combine(written.Folder, "pair.hdr"), big));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(written.Folder, "*.tmp"));
    }

    [Fact]
    public void ASingularAffineCannotBeWritten()
    {
        using var scope = NewDisposeScope();
        using var flat = new Volume(zeros(1, 2, 2, 2), AffineMatrix.FromDiagonal(1, 0, 1));
        Assert.Throws<ArgumentException>(() => NiftiWriter.Write(Path.Combine(written.Folder, "singular.nii"), flat));
    }
}
