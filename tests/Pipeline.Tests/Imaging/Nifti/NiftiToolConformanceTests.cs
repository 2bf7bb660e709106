using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// Files written or modified by nifti_tool (nifti_clib): new images of several types and ranks (zero-filled, qfac 0,
/// no transform codes), headers edited to qform-only with qfac −1 and scaling, sform-only, both transforms
/// differing, gzip and pair copies, a comment extension. We must read them as nibabel does, and agree with
/// nifti_clib's own transforms; nifti_clib in turn must read what we write. (Big-endian files come from nibabel:
/// nifti_tool 2.09's <c>-swap_as_nifti</c> leaves <c>vox_offset</c> unswapped, see
/// <see cref="NiftiToolsByteSwappedFileIsRejectedAsNibabelRejectsIt"/>.)
/// </summary>
public sealed class NiftiToolConformanceTests(NiftiToolConformanceTests.Files files) : IClassFixture<NiftiToolConformanceTests.Files>
{
    /// <summary>nifti_tool prints transforms with six decimals, computed in float32.</summary>
    private const double NiftiToolTolerance = 1e-5;

    /// <summary>The nifti_tool-made files, nibabel's and nifti_tool's views of them.</summary>
    public sealed class Files : IDisposable
    {
        public static readonly string[] Names =
        [
            "made-uint8.nii.gz", "made-float64-5d.nii", "made-uint16.hdr", "qform-qfac-negative-scaled.nii", "sform-only.nii",
            "both-differ.nii", "copied-qform.nii.gz", "pair-copy.hdr", "comment.nii",
        ];

        public Files()
        {
            Folder = Directory.CreateTempSubdirectory("nifti-tool-").FullName;
            try
            {
                NibabelOracle.Generate(new[]
                {
                    new NibabelCase { Name = "src-int16", Seed = 1, DType = "int16", Shape = [4, 5, 6], QFormCode = 1 },
                    new NibabelCase { Name = "src-float32-4d", Seed = 2, DType = "float32", Shape = [3, 4, 5, 2], QFormCode = 2, SFormCode = 2, AffineKind = "axis" },
                    new NibabelCase { Name = "src-uint8", Seed = 3, DType = "uint8", Shape = [5, 4, 3] },
                }, Folder);
                NiftiTool.Run(Folder, "-make_im", "-prefix", "made-uint8.nii.gz", "-new_dim", "3", "4", "5", "6", "0", "0", "0", "0", "-new_datatype", "2");
                NiftiTool.Run(Folder, "-make_im", "-prefix", "made-float64-5d.nii", "-new_dim", "5", "2", "3", "4", "2", "3", "0", "0", "-new_datatype", "64");
                NiftiTool.Run(Folder, "-make_im", "-prefix", "made-uint16.hdr", "-new_dim", "3", "2", "3", "4", "0", "0", "0", "0", "-new_datatype", "512");
                NiftiTool.Run(Folder, "-swap_as_nifti", "-prefix", "swapped-int16.nii", "-infiles", "src-int16.nii");
                NiftiTool.Run(Folder, "-mod_hdr", "-prefix", "qform-qfac-negative-scaled.nii", "-infiles", "src-int16.nii",
                    "-mod_field", "qform_code", "1", "-mod_field", "sform_code", "0", "-mod_field", "quatern_b", "0.1", "-mod_field", "quatern_c", "-0.2",
                    "-mod_field", "quatern_d", "0.3", "-mod_field", "qoffset_x", "12.5", "-mod_field", "pixdim", "-1 2 3 4 1 1 1 1",
                    "-mod_field", "scl_slope", "0.5", "-mod_field", "scl_inter", "-3");
                NiftiTool.Run(Folder, "-mod_hdr", "-prefix", "sform-only.nii", "-infiles", "src-uint8.nii",
                    "-mod_field", "qform_code", "0", "-mod_field", "sform_code", "4",
                    "-mod_field", "srow_x", "-2 0 0 10", "-mod_field", "srow_y", "0 0 -3 -5", "-mod_field", "srow_z", "0 4 0 7");
                NiftiTool.Run(Folder, "-mod_hdr", "-prefix", "both-differ.nii", "-infiles", "src-float32-4d.nii",
                    "-mod_field", "qform_code", "1", "-mod_field", "quatern_b", "0.5", "-mod_field", "quatern_c", "0.5", "-mod_field", "quatern_d", "0.5",
                    "-mod_field", "sform_code", "2", "-mod_field", "srow_x", "1.5 0.2 0 -30", "-mod_field", "srow_y", "0 1.5 0.1 20", "-mod_field", "srow_z", "0.3 0 2 -10");
                NiftiTool.Run(Folder, "-copy_im", "-prefix", "copied-qform.nii.gz", "-infiles", "qform-qfac-negative-scaled.nii");
                NiftiTool.Run(Folder, "-copy_im", "-prefix", "pair-copy.hdr", "-infiles", "src-int16.nii");
                NiftiTool.Run(Folder, "-add_comment", "hello from nifti_clib", "-prefix", "comment.nii", "-infiles", "src-uint8.nii");

                Oracle = NibabelOracle.Describe(Names.Select(name => Path.Combine(Folder, name)).ToList(), Path.Combine(Folder, "oracle"))
                    .Select((record, n) => (Names[n], record)).ToDictionary(item => item.Item1, item => item.record);
                Transforms = NiftiTool.Fields(Folder, "-disp_nim", ["qform_code", "sform_code", "qto_xyz", "sto_xyz"], Names);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public string Folder { get; }

        public IReadOnlyDictionary<string, OracleRecord> Oracle { get; } = new Dictionary<string, OracleRecord>();

        public Dictionary<string, Dictionary<string, double[]>> Transforms { get; } = [];

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    public static TheoryData<string> Names => new(Files.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void ReadsWhatNiftiToolWroteAsNibabelDoes(string name)
    {
        using var scope = NewDisposeScope();
        using var image = NiftiReader.Read(Path.Combine(files.Folder, name));
        NiftiOracleAssert.Matches(files.Oracle[name], image);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TransformsAgreeWithNiftiClib(string name)
    {
        var header = NiftiReader.ReadHeader(Path.Combine(files.Folder, name));
        var theirs = files.Transforms[name];
        Assert.Equal(theirs["qform_code"][0], header.QFormCode);
        Assert.Equal(theirs["sform_code"][0], header.SFormCode);
        if (header.QFormCode > 0) Within(name, theirs["qto_xyz"], header.QFormAffine());
        if (header.SFormCode > 0) Within(name, theirs["sto_xyz"], header.SFormAffine());
    }

    private static void Within(string name, double[] expected, AffineMatrix actual)
    {
        var scale = Math.Max(1, expected.Max(Math.Abs));
        Assert.True(actual.MaxAbsDifference(new AffineMatrix(expected)) <= NiftiToolTolerance * scale, $"{name}: nifti_clib {new AffineMatrix(expected)}, ours {actual}");
    }

    [Fact]
    public void TheModifiedFilesHaveWhatTheEditsSaid()
    {
        using var scope = NewDisposeScope();
        using var qform = NiftiReader.Read(Path.Combine(files.Folder, "qform-qfac-negative-scaled.nii"));
        Assert.Equal(-1, qform.Header.QFac);
        Assert.Equal(NiftiAffineSource.QForm, qform.AffineSource);
        Assert.Equal(ScalarType.Float32, qform.Data.dtype);
        using var source = NiftiReader.Read(Path.Combine(files.Folder, "src-int16.nii"));
        using var pair = NiftiReader.Read(Path.Combine(files.Folder, "pair-copy.hdr"));
        Assert.True(pair.Header.IsPair);
        Assert.True(pair.Data.eq(source.Data).all().item<bool>());
        Assert.Equal("LSP", NiftiAxisCodes.FromAffine(NiftiReader.Read(Path.Combine(files.Folder, "sform-only.nii")).Affine));
        var comment = Assert.Single(NiftiReader.ReadHeader(Path.Combine(files.Folder, "comment.nii")).Extensions);
        Assert.Equal(6, comment.Code);
        Assert.StartsWith("hello from nifti_clib", System.Text.Encoding.ASCII.GetString(comment.Content));
    }

    [Fact]
    public void NiftiToolsByteSwappedFileIsRejectedAsNibabelRejectsIt()
    {
        var path = Path.Combine(files.Folder, "swapped-int16.nii");
        var error = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read(path).Dispose());
        Assert.Equal("vox_offset", error.Field);
        var nibabel = Assert.Throws<InvalidOperationException>(() =>
            ExternalTool.Run(ExternalTool.Python, ["-c", "import sys, nibabel; nibabel.load(sys.argv[1]).get_fdata()", path], "python3-nibabel"));
        Assert.Contains("vox offset", nibabel.Message);
    }

    [Fact]
    public void NiftiClibReadsWhatWeWrite()
    {
        using var scope = NewDisposeScope();
        var outputs = new[] { "ours-lsa-v1.nii.gz", "ours-oblique-4d-v2.nii", "ours-template.nii.gz" };
        var volumes = new[]
        {
            new Volume(arange(120, dtype: ScalarType.Byte).reshape(1, 4, 5, 6), NiftiWriterTests.Lsa),
            new Volume(arange(360, dtype: ScalarType.Float32).reshape(3, 4, 5, 6).div(7), NiftiWriterTests.Oblique),
            new Volume(arange(24, dtype: ScalarType.Int16).reshape(1, 2, 3, 4), NiftiWriterTests.Sheared,
                new NiftiHeader { SFormCode = 4, Extensions = [new NiftiExtension(6, "note"u8.ToArray())] }),
        };
        NiftiWriter.Write(Path.Combine(files.Folder, outputs[0]), volumes[0]);
        NiftiWriter.Write(Path.Combine(files.Folder, outputs[1]), volumes[1], new NiftiWriteOptions { Version = 2 });
        NiftiWriter.Write(Path.Combine(files.Folder, outputs[2]), volumes[2]);

        // nifti_tool 2.09's checks know only NIfTI-1 (they fail, or print nothing, for nibabel's own NIfTI-2 example too).
        var check = NiftiTool.Run(files.Folder, "-check_hdr", "-check_nim", "-infiles", outputs[0], outputs[2]);
        Assert.True(4 == check.Split('\n').Count(line => line.Contains("IS GOOD")), check);
        var fields = NiftiTool.Fields(files.Folder, "-disp_nim", ["dim", "datatype", "qform_code", "sform_code", "qto_xyz", "sto_xyz", "num_ext"], outputs);
        for (var n = 0; n < outputs.Length; n++)
        {
            using var image = NiftiReader.Read(Path.Combine(files.Folder, outputs[n]));
            var theirs = fields[outputs[n]];
            Assert.Equal(image.Shape.Select(e => (double)e), theirs["dim"].Skip(1).Take(image.Shape.Length));
            Assert.Equal(image.Header.DataTypeCode, theirs["datatype"][0]);
            Assert.Equal(image.Header.Extensions.Count, theirs["num_ext"][0]);
            Within(outputs[n], theirs["sto_xyz"], volumes[n].Affine);
            if (theirs["qform_code"][0] > 0) Within(outputs[n], theirs["qto_xyz"], volumes[n].Affine);
            var value = NiftiTool.Run(files.Folder, "-disp_ci", "1", "2", "3", "0", "-1", "-1", "-1", "-quiet", "-infiles", outputs[n]).Trim();
            var ours = image.Data.dim() == 3 ? image.Data[1, 2, 3] : image.Data[1, 2, 3, 0];
            Assert.Equal(ours.to(ScalarType.Float64).item<double>(), double.Parse(value, System.Globalization.CultureInfo.InvariantCulture), 4);
        }
        Assert.Equal(0, fields[outputs[2]]["qform_code"][0]); // sheared: no qform
        foreach (var volume in volumes) volume.Dispose();
    }
}
