using System.Text.Json;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Tests.Cli;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary><c>pipeline image info</c> on small files written here (the brain MRIs are in <see cref="NiftiRealDataTests"/>).</summary>
public sealed class ImageInfoCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("image-info-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteLsaCounts()
    {
        var path = Path.Combine(_folder, "counts.nii.gz");
        using var volume = new Volume(arange(60, dtype: ScalarType.Int16).reshape(1, 3, 4, 5), NiftiWriterTests.Lsa,
            new NiftiHeader { Description = "counting", Extensions = [new NiftiExtension(6, "x"u8.ToArray())] });
        NiftiWriter.Write(path, volume);
        return path;
    }

    [Fact]
    public async Task JsonHasGeometryOrientationAndStatistics()
    {
        var path = WriteLsaCounts();
        var result = await CliRunner.RunAsync("image", "info", path, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var info = json.RootElement;
        Assert.Equal([3.0, 4, 5], info.GetProperty("shape").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("int16", info.GetProperty("datatype").GetString());
        Assert.Equal("LSA", info.GetProperty("orientation").GetString());
        Assert.Equal([2.0, 2, 3], info.GetProperty("spacing").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(NiftiWriterTests.Lsa.ToRowMajor(), info.GetProperty("affine").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetDouble()));
        Assert.Equal("sform", info.GetProperty("affine_source").GetString());
        Assert.Equal((0.0, 59.0, 29.5, 1770.0), (info.GetProperty("min").GetDouble(), info.GetProperty("max").GetDouble(),
            info.GetProperty("mean").GetDouble(), info.GetProperty("sum").GetDouble()));
        Assert.True(info.GetProperty("gzip").GetBoolean());
        Assert.Equal(6, info.GetProperty("extensions")[0].GetProperty("code").GetInt32());
        Assert.Equal("counting", info.GetProperty("description").GetString());
    }

    [Fact]
    public async Task TextNamesTheSameFacts()
    {
        var result = await CliRunner.RunAsync("image", "info", WriteLsaCounts());
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("shape         3 x 4 x 5", result.Out);
        Assert.Contains("orientation   LSA", result.Out);
        Assert.Contains("sform_code    2 (aligned)", result.Out);
        Assert.Contains("min / max     0 / 59", result.Out);
        Assert.Contains("mean / sum    29.5 / 1770", result.Out);
    }

    [Fact]
    public async Task ABadFileIsAUserErrorNamingTheField()
    {
        var path = Path.Combine(_folder, "bad.nii");
        File.WriteAllBytes(path, new byte[400]);
        var result = await CliRunner.RunAsync("image", "info", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {path}: sizeof_hdr:", result.Error);
    }

    [Fact]
    public async Task TheFileIsRequired()
    {
        var result = await CliRunner.RunAsync("image", "info");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage: pipeline image info FILE [--json]", result.Error);
        var missing = await CliRunner.RunAsync("image", "info", Path.Combine(_folder, "absent.nii.gz"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
    }
}
