using System.Text.Json.Nodes;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Cli;

/// <summary><c>pipeline evaluate</c> on NIfTI label maps with known answers.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly AffineMatrix Grid = AffineMatrix.FromDiagonal(0.8, 1.5, 2.5, -10, 4, 7);
    private readonly string _folder = Directory.CreateTempSubdirectory("evaluate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A 16³ label map with an 8³ cube of label 1 starting at (4 + shift, 4, 4) and a 2³ block of label 2.</summary>
    private string WriteCube(string folder, string name, int shift, AffineMatrix? affine = null, bool withLabel2 = true)
    {
        Directory.CreateDirectory(folder);
        using var labels = zeros([1, 16, 16, 16], ScalarType.Float32);
        labels[0, TensorIndex.Slice(4 + shift, 12 + shift), TensorIndex.Slice(4, 12), TensorIndex.Slice(4, 12)] = 1;
        if (withLabel2) labels[0, TensorIndex.Slice(0, 2), TensorIndex.Slice(0, 2), TensorIndex.Slice(0, 2)] = 2;
        string path = Path.Combine(folder, name + ".nii.gz");
        using var volume = new Volume(labels.alias(), affine ?? Grid);
        NiftiWriter.Write(path, volume, new NiftiWriteOptions { DataType = NiftiDataType.UInt8 });
        return path;
    }

    [Fact]
    public async Task ShiftedCubesGiveTheKnownDiceAndHd95()
    {
        string reference = WriteCube(Path.Combine(_folder, "ref"), "case_a", 0);
        string prediction = WriteCube(Path.Combine(_folder, "pred"), "case_a", 2);

        var result = await CliRunner.RunAsync("evaluate", "--prediction", prediction, "--reference", reference, "--labels", "cube=1,corner=2", "--json");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        var cube = json["cases"]![0]!["classes"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == "cube")!;
        Assert.Equal(6.0 / 8.0, cube["dice"]!.GetValue<double>(), 1e-9);
        // The header stores the spacing as float32 (0.8f), hence 1e-6.
        Assert.Equal(2 * 0.8, cube["hd95_mm"]!.GetValue<double>(), 1e-6);
        var corner = json["cases"]![0]!["classes"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == "corner")!;
        Assert.Equal(1.0, corner["dice"]!.GetValue<double>(), 1e-9);
    }

    [Fact]
    public async Task FoldersArePairedByNameAndSummarised()
    {
        foreach (var (name, shift) in new[] { ("a", 0), ("b", 1), ("c", 2) })
        {
            WriteCube(Path.Combine(_folder, "ref"), name, 0);
            WriteCube(Path.Combine(_folder, "pred"), name, shift);
        }
        string output = Path.Combine(_folder, "report");
        var result = await CliRunner.RunAsync("evaluate", "--prediction", Path.Combine(_folder, "pred"), "--reference", Path.Combine(_folder, "ref"),
            "--labels", "1", "--out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 case(s)", result.Out);
        // Dice 1, 7/8, 6/8: mean 0.875, median 0.875.
        Assert.Contains("0.8750", result.Out);
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(output, "metrics_cases.csv")).Length);
    }

    [Fact]
    public async Task APredictionOffTheReferenceGridIsAnErrorNamingBothFiles()
    {
        string reference = WriteCube(Path.Combine(_folder, "ref"), "x", 0);
        string flipped = WriteCube(Path.Combine(_folder, "pred"), "x", 0, AffineMatrix.FromDiagonal(-0.8, 1.5, 2.5, 2, 4, 7));
        var result = await CliRunner.RunAsync("evaluate", "--prediction", flipped, "--reference", reference);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(flipped, result.Error);
        Assert.Contains(reference, result.Error);
        Assert.Contains("affines", result.Error);
    }

    [Fact]
    public async Task AMissingPredictionInAFolderIsNamed()
    {
        WriteCube(Path.Combine(_folder, "ref"), "a", 0);
        WriteCube(Path.Combine(_folder, "ref"), "b", 0);
        WriteCube(Path.Combine(_folder, "pred"), "a", 0);
        var result = await CliRunner.RunAsync("evaluate", "--prediction", Path.Combine(_folder, "pred"), "--reference", Path.Combine(_folder, "ref"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no prediction", result.Error);
        Assert.Contains(": b", result.Error);
    }
}
