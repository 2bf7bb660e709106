using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Pipeline.Core.Data;
using Pipeline.Core.Imaging;
using static TorchSharp.torch;

namespace Pipeline.Tests.Data;

/// <summary>The checks and loading of file datasets, with a substitute reader (the files exist but are empty).</summary>
public sealed class FileSegmentationDatasetTests : IDisposable
{
    private static readonly AffineMatrix Grid = AffineMatrix.FromDiagonal(1.5, 1.5, 3, -10, -20, 5);
    private readonly string _folder = Directory.CreateTempSubdirectory("fileds-").FullName;
    private readonly IVolumeFileReader _reader = Substitute.For<IVolumeFileReader>();
    private readonly LabelScheme _labels = LabelScheme.Create(new Dictionary<int, string> { [0] = "background", [1] = "liver", [2] = "liver_tumor" });

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CaseFiles Case(string id, long[]? imageShape = null, long[]? labelShape = null, AffineMatrix? labelAffine = null, float[]? labelValues = null)
    {
        string image = Path.Combine(_folder, id + "_img.nii.gz");
        string label = Path.Combine(_folder, id + "_seg.nii.gz");
        File.WriteAllBytes(image, []);
        File.WriteAllBytes(label, []);
        imageShape ??= [4, 3, 2];
        labelShape ??= imageShape;
        _reader.ReadHeader(image).Returns(new VolumeHeader(imageShape, Grid, "int16"));
        _reader.ReadHeader(label).Returns(new VolumeHeader(labelShape, labelAffine ?? Grid, "uint8"));
        long voxels = imageShape.Take(3).Aggregate(1L, (a, b) => a * b);
        _reader.Read(image).Returns(_ => new Volume(arange(voxels, dtype: ScalarType.Float32).reshape([1, .. imageShape.Take(3)]), Grid));
        var values = labelValues ?? Enumerable.Range(0, (int)voxels).Select(n => (float)(n % 3)).ToArray();
        _reader.Read(label).Returns(_ => new Volume(tensor(values).reshape([1, .. labelShape.Take(3)]), labelAffine ?? Grid));
        return new CaseFiles(id, [image], label);
    }

    private FileSegmentationDataset Open(IReadOnlyList<CaseFiles> cases, FileDatasetSettings? settings = null) =>
        new("toy", cases, new Dictionary<string, IReadOnlyList<string>> { ["all"] = cases.Select(c => c.Id).ToList() },
            _labels, 1, _reader, settings ?? new FileDatasetSettings(), NullLogger.Instance);

    [Fact]
    public void LoadGivesFloatImageClassLabelsAffineAndSpacing()
    {
        var dataset = Open([Case("a")]);
        using var loaded = dataset.Load("a");
        Assert.Equal([1L, 4, 3, 2], loaded.Image.shape);
        Assert.Equal(ScalarType.Float32, loaded.Image.dtype);
        Assert.Equal([4L, 3, 2], loaded.Label!.shape);
        Assert.Equal(ScalarType.Int64, loaded.Label.dtype);
        Assert.Equal([1.5, 1.5, 3.0], loaded.Spacing);
        Assert.Equal(Grid, loaded.Affine);
        Assert.Equal(["background", "liver", "liver_tumor"], dataset.ClassNames);
    }

    [Fact]
    public void AMissingLabelFileIsNamedWithItsCase()
    {
        var broken = Case("b");
        File.Delete(broken.LabelPath!);
        var error = Assert.Throws<InvalidDatasetException>(() => Open([Case("a"), broken]));
        Assert.Contains("case 'b'", error.Message);
        Assert.Contains("label file not found", error.Message);
        Assert.Contains(broken.LabelPath!, error.Message);
        Assert.DoesNotContain("case 'a'", error.Message);
    }

    [Fact]
    public void ShapeMismatchAffineMismatchAndFourDLabelsAreEachReported()
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Open([
            Case("shape", labelShape: [4, 3, 3]),
            Case("affine", labelAffine: AffineMatrix.FromDiagonal(1.5, 1.5, 3, -10, -20, 8)),
            Case("fourd", labelShape: [4, 3, 2, 2]),
            Case("fiveD", imageShape: [4, 3, 2, 1, 2]),
        ]));
        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.CaseId == "shape" && p.Message.Contains("[4, 3, 3]") && p.Message.Contains("[4, 3, 2]"));
        Assert.Contains(error.Problems, p => p.CaseId == "affine" && p.Message.Contains("differs from the image affine by up to 3"));
        Assert.Contains(error.Problems, p => p.CaseId == "fourd" && p.Message.Contains("4-D"));
        Assert.Contains(error.Problems, p => p.CaseId == "fiveD" && p.Message.Contains("5-D"));
    }

    [Fact]
    public void SkipPolicyLeavesInvalidCasesOutOfEverySplit()
    {
        var logger = new RecordingLogger();
        var cases = new[] { Case("a"), Case("bad", labelShape: [1, 1, 1]) };
        var dataset = new FileSegmentationDataset("toy", cases,
            new Dictionary<string, IReadOnlyList<string>> { ["train"] = ["a", "bad"], ["validation"] = ["bad"] },
            _labels, 1, _reader, new FileDatasetSettings { OnInvalidCase = InvalidCasePolicy.Skip }, logger);
        Assert.Equal(["a"], dataset.Splits["train"]);
        Assert.Empty(dataset.Splits["validation"]);
        Assert.Equal(["bad"], dataset.SkippedCases);
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("case 'bad'"));
    }

    [Fact]
    public void TrustImageGeometryAcceptsADriftedLabelAffine()
    {
        var dataset = Open([Case("drift", labelAffine: AffineMatrix.FromDiagonal(1.5, 1.5, 3, -10, -20, 5.5))],
            new FileDatasetSettings { TrustImageGeometry = true });
        using var loaded = dataset.Load("drift");
        Assert.Equal(Grid, loaded.Affine);
    }

    [Fact]
    public void FullVerificationRejectsUndeclaredValuesAndEmptyForeground()
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Open([
            Case("values", labelValues: Enumerable.Range(0, 24).Select(n => n == 5 ? 9f : 0f).ToArray()),
            Case("empty", labelValues: new float[24]),
            Case("fine"),
        ], new FileDatasetSettings { Verification = DatasetVerification.Full }));
        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.CaseId == "values" && p.Message.Contains("[9]"));
        Assert.Contains(error.Problems, p => p.CaseId == "empty" && p.Message.Contains("no foreground"));
    }

    [Fact]
    public void UndeclaredValuesFoundWhileLoadingNameTheCase()
    {
        var dataset = Open([Case("late", labelValues: Enumerable.Range(0, 24).Select(n => n == 1 ? 4f : 1f).ToArray())]);
        var error = Assert.Throws<InvalidDataException>(() => dataset.Load("late"));
        Assert.Contains("case 'late'", error.Message);
        Assert.Contains("[4]", error.Message);
    }

    [Fact]
    public void SplitsNamingUnknownCasesAreRejected()
    {
        var cases = new[] { Case("a") };
        var error = Assert.Throws<InvalidDatasetException>(() => new FileSegmentationDataset("toy", cases,
            new Dictionary<string, IReadOnlyList<string>> { ["train"] = ["a", "ghost"] }, _labels, 1, _reader, new FileDatasetSettings(), NullLogger.Instance));
        Assert.Contains("ghost", error.Message);
    }
}
