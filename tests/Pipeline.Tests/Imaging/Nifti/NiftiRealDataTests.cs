using System.Text.Json;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Tests.Cli;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// Real images from Debian packages (fetched into the user cache at first use, never committed) and nibabel's own
/// test files: NIfTI-2, big-endian, scaled, q-only and s-only, LAS/LSA/LPS/RAS, 4-D with extensions, a 6-D CIFTI
/// file with qfac 0. We must read each exactly as nibabel does, keep extensions through a rewrite, and
/// <c>pipeline image info</c> must report what nibabel reports on the two brain MRIs.
/// </summary>
public sealed class NiftiRealDataTests(NiftiRealDataTests.RealFiles files) : IClassFixture<NiftiRealDataTests.RealFiles>
{
    /// <summary>Where each file comes from: a Debian package, or nibabel's installed test data ("nibabel-tests").</summary>
    public static readonly (string Label, string Source, string FileName)[] Sources =
    [
        ("colin27-t1", DebianPackages.MricronData, "ch2.nii.gz"),
        ("aal-labels", DebianPackages.MricronData, "aal.nii.gz"),
        ("harvard-oxford-las", DebianPackages.MricronData, "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz"),
        ("jhu-2mm-q4-s4", DebianPackages.MricronData, "JHU-WhiteMatter-labels-2mm.nii.gz"),
        ("inia19-float32-s-only", DebianPackages.MricronData, "inia19-t1-brain.nii.gz"),
        ("itk-head-t1-lsa", DebianPackages.ItkExamples, "KmeansTest_T1UCharRaw.nii.gz"),
        ("itk-brain-mask", DebianPackages.ItkExamples, "KmeansTest_T1RawSkullStrip.nii.gz"),
        ("nibabel-doc-scaled", DebianPackages.NibabelDoc, "someones_anatomy.nii.gz"),
        ("nibabel-nifti2", "nibabel-tests", "example_nifti2.nii.gz"),
        ("nibabel-big-endian", "nibabel-tests", "anatomical.nii"),
        ("nibabel-scaled-4d", "nibabel-tests", "functional.nii"),
        ("nibabel-4d-extensions", "nibabel-tests", "example4d.nii.gz"),
        ("nibabel-s-only", "nibabel-tests", "standard.nii.gz"),
        ("nibabel-big-endian-float", "nibabel-tests", "reoriented_anat_moved.nii"),
        ("nibabel-cifti-6d", "nibabel-tests", "row_major.dconn.nii"),
    ];

    /// <summary>Labels of files rewritten by our writer (image round trip) and described again.</summary>
    public static readonly string[] Rewritten = ["nibabel-4d-extensions", "nibabel-cifti-6d", "itk-head-t1-lsa"];

    /// <summary>The files, nibabel's view of them (with statistics), and our rewrites.</summary>
    public sealed class RealFiles : IDisposable
    {
        public RealFiles()
        {
            Folder = Directory.CreateTempSubdirectory("nifti-real-").FullName;
            try
            {
                var nibabelTests = Path.Combine(ExternalTool.Run(ExternalTool.Python, ["-c", "import nibabel, os; print(os.path.dirname(nibabel.__file__))"], "python3-nibabel").Trim(), "tests", "data");
                Paths = Sources.ToDictionary(s => s.Label, s =>
                {
                    var folder = s.Source == "nibabel-tests" ? nibabelTests : DebianPackages.Folder(s.Source);
                    return Directory.EnumerateFiles(folder, s.FileName, SearchOption.AllDirectories).FirstOrDefault()
                        ?? throw new FileNotFoundException($"{s.FileName} is not in {folder} ({s.Source})");
                });
                foreach (var label in Rewritten)
                {
                    using var image = NiftiReader.Read(Paths[label]);
                    NiftiWriter.Write(RewrittenPath(label), image);
                }
                var all = Sources.Select(s => Paths[s.Label]).Concat(Rewritten.Select(RewrittenPath)).ToList();
                var records = NibabelOracle.Describe(all, Path.Combine(Folder, "oracle"), withStats: true);
                Oracle = all.Zip(records).ToDictionary(pair => pair.First, pair => pair.Second);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public string Folder { get; }

        public IReadOnlyDictionary<string, string> Paths { get; } = new Dictionary<string, string>();

        /// <summary>nibabel's view, by file path.</summary>
        public IReadOnlyDictionary<string, OracleRecord> Oracle { get; } = new Dictionary<string, OracleRecord>();

        public string RewrittenPath(string label) => Path.Combine(Folder, label + ".rewritten.nii.gz");

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    public static TheoryData<string> Labels => new(Sources.Select(s => s.Label));

    [Theory]
    [MemberData(nameof(Labels))]
    public void ReadsAsNibabelDoes(string label)
    {
        using var scope = NewDisposeScope();
        using var image = NiftiReader.Read(files.Paths[label]);
        NiftiOracleAssert.Matches(files.Oracle[files.Paths[label]], image);
    }

    [Fact]
    public void TheFilesCoverWhatTheyAreHereFor()
    {
        NiftiHeader Header(string label) => NiftiReader.ReadHeader(files.Paths[label]);
        Assert.Equal(2, Header("nibabel-nifti2").Version);
        Assert.True(Header("nibabel-big-endian").IsBigEndian);
        Assert.NotNull(Header("nibabel-doc-scaled").Scaling);
        Assert.Equal(NiftiAffineSource.SForm, Header("colin27-t1").AffineSource);
        Assert.Equal(0, Header("colin27-t1").QFormCode);
        Assert.Equal("LSA", files.Oracle[files.Paths["itk-head-t1-lsa"]].AxCodes);
        Assert.Equal("LAS", files.Oracle[files.Paths["harvard-oxford-las"]].AxCodes);
        Assert.Equal(2, Header("nibabel-4d-extensions").Extensions.Count);
        Assert.Equal(6, Header("nibabel-cifti-6d").Rank);
        Assert.Equal(NiftiAffineSource.PixDim, Header("nibabel-cifti-6d").AffineSource);
    }

    [Theory]
    [MemberData(nameof(RewrittenLabels))]
    public void RewritingKeepsGeometryCodesExtensionsAndData(string label)
    {
        using var scope = NewDisposeScope();
        var original = files.Oracle[files.Paths[label]];
        var rewritten = files.Oracle[files.RewrittenPath(label)];
        Assert.Equal(original.AffineValues, rewritten.AffineValues);
        Assert.Equal((original.QFormCode, original.SFormCode), (rewritten.QFormCode, rewritten.SFormCode));
        Assert.Equal(original.Extensions.Select(e => e[1].GetString()), rewritten.Extensions.Select(e => e[1].GetString()));
        Assert.Equal(original.Version, rewritten.Version);
        using var copy = NiftiReader.Read(files.RewrittenPath(label));
        NiftiOracleAssert.Matches(rewritten, copy);
        using var source = NiftiReader.Read(files.Paths[label]);
        Assert.True(source.Data.eq(copy.Data).all().item<bool>(), $"{label}: voxels changed");
        Assert.Equal(source.Header.Extensions.Select(e => (e.Code, Convert.ToHexString(e.Content))), copy.Header.Extensions.Select(e => (e.Code, Convert.ToHexString(e.Content))));
    }

    public static TheoryData<string> RewrittenLabels => new(Rewritten);

    [Theory]
    [InlineData("colin27-t1")]
    [InlineData("itk-head-t1-lsa")]
    public async Task ImageInfoOnTheBrainMrisMatchesNibabel(string label)
    {
        var path = files.Paths[label];
        var result = await CliRunner.RunAsync("image", "info", path, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var info = json.RootElement;
        var oracle = files.Oracle[path];
        Assert.Equal(oracle.Shape, info.GetProperty("shape").EnumerateArray().Select(v => (long)v.GetDouble()));
        Assert.Equal(oracle.AffineValues, info.GetProperty("affine").EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(v => v.GetDouble()));
        Assert.Equal(oracle.AxCodes, info.GetProperty("orientation").GetString());
        Assert.Equal(Bare(oracle.StoredDType), info.GetProperty("datatype").GetString());
        foreach (var statistic in new[] { "min", "max", "mean", "sum" })
        {
            var expected = OracleRecord.Number(oracle.Stats![statistic]);
            var actual = info.GetProperty(statistic).GetDouble();
            Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{label} {statistic}: ours {actual:R}, nibabel {expected:R}");
        }
    }

    private static string Bare(string numpyType) => numpyType.TrimStart('<', '>', '=', '|');
}
