using Microsoft.Extensions.Logging;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Tests.Imaging.Geometry;

public class VolumePairCheckTests
{
    [Fact]
    public void AffinesWithinToleranceAreTheSameGrid()
    {
        using var image = TestVolumes.Counting([4, 5, 6], TestVolumes.Oblique);
        var nudged = new AffineMatrix(TestVolumes.Oblique.ToRowMajor().Select((value, index) => index == 3 ? value + 4e-4 : value).ToArray());
        using var label = TestVolumes.Counting([4, 5, 6], nudged);
        var result = VolumePairCheck.Check("case-1", image, label, PairMismatchPolicy.Error);
        Assert.Same(label, result.Label);
        Assert.False(result.Repaired);
    }

    [Fact]
    public void DifferentShapesAreAnErrorNamingTheCaseAndBothShapes()
    {
        using var image = TestVolumes.Counting([4, 5, 6], TestVolumes.Oblique);
        using var label = TestVolumes.Counting([4, 5, 7], TestVolumes.Oblique);
        var error = Assert.Throws<VolumePairMismatchException>(() => VolumePairCheck.Check("liver_017", image, label, PairMismatchPolicy.Error));
        Assert.Equal("liver_017", error.CaseId);
        Assert.Contains("case 'liver_017'", error.Message);
        Assert.Contains("image shape [4, 5, 6] vs label shape [4, 5, 7]", error.Message);
    }

    [Fact]
    public void DifferentAffinesAreAnErrorNamingBothAffinesAndTheDifference()
    {
        using var image = TestVolumes.Counting([4, 5, 6], AffineMatrix.FromDiagonal(1, 1, 1));
        using var label = TestVolumes.Counting([4, 5, 6], AffineMatrix.FromDiagonal(1, 1, 1.5));
        var error = Assert.Throws<VolumePairMismatchException>(() => VolumePairCheck.Check("c9", image, label, PairMismatchPolicy.Error, 1e-3));
        Assert.Contains("image affine [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]", error.Message);
        Assert.Contains("label affine [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1.5, 0], [0, 0, 0, 1]]", error.Message);
        Assert.Contains("largest element difference 0.5 mm, tolerance 0.001 mm", error.Message);
    }

    [Fact]
    public void RepairResamplesTheLabelOntoTheImageGridAndLogsIt()
    {
        using var image = TestVolumes.Counting([6, 6, 6], TestVolumes.Oblique);
        // The label covers the same world region starting one voxel later along j.
        using var label = TestVolumes.Counting([6, 5, 6], TestVolumes.Oblique.Multiply(AffineMatrix.FromDiagonal(1, 1, 1, 0, 1, 0)));
        var logger = new ListLogger();
        var result = VolumePairCheck.Check("c3", image, label, PairMismatchPolicy.ResampleLabel, logger: logger);
        using var repaired = result.Label;
        Assert.True(result.Repaired);
        Assert.True(VoxelGrid.Of(repaired).Matches(VoxelGrid.Of(image), 1e-12));
        TestVolumes.AssertWorldConsistent(label, repaired, fill: 0);
        var line = Assert.Single(logger.Lines);
        Assert.Contains("case 'c3'", line);
        Assert.Contains("label resampled onto the image grid", line);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
