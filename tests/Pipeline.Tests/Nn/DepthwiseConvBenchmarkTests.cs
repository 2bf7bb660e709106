using Pipeline.Core.Nn;

namespace Pipeline.Tests.Nn;

/// <summary>The depthwise benchmark produces one checked row per path and case, and rejects bad options up front.</summary>
public class DepthwiseConvBenchmarkTests
{
    [Fact]
    public void TinyRunGivesOneAccurateRowPerPathAndCase()
    {
        var options = new DepthwiseConvBenchmarkOptions
        {
            KernelSizes = new[] { 3, 5 },
            Channels = new[] { 2 },
            SpatialSizes = new[] { 6 },
            BatchSize = 2,
            WarmupRuns = 0,
            Repeats = 1,
            NativeBackwardMaxKernelSize = 3,
        };
        var log = new StringWriter();

        var rows = DepthwiseConvBenchmark.Run(options, log);

        Assert.Equal(2 * options.Paths.Count, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(new long[] { 2, 2, 6, 6, 6 }, row.Shape);
            Assert.True(row.ForwardMs >= 0);
            Assert.True(row.MaxAbsDiff < 1e-4, $"{row.Path} k={row.KernelSize}: {row.MaxAbsDiff}");
        });
        // Native's backward is timed only up to the configured kernel size; the other paths always.
        Assert.NotNull(rows.Single(r => r.Path == DepthwiseConvPath.Native && r.KernelSize == 3).ForwardBackwardMs);
        Assert.Null(rows.Single(r => r.Path == DepthwiseConvPath.Native && r.KernelSize == 5).ForwardBackwardMs);
        Assert.NotNull(rows.Single(r => r.Path == DepthwiseConvPath.Fft && r.KernelSize == 5).ForwardBackwardMs);
        Assert.Equal(rows.Count, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("| 5 | 2x2x6x6x6 | Fft |", DepthwiseConvBenchmark.ToMarkdownTable(rows));
    }

    [Fact]
    public void InvalidOptionsAreRejectedNamingEveryKey()
    {
        var options = new DepthwiseConvBenchmarkOptions { KernelSizes = new[] { 4 }, Repeats = 0 };

        var error = Assert.Throws<ArgumentException>(() => DepthwiseConvBenchmark.Run(options, TextWriter.Null));

        Assert.Contains("kernel_sizes", error.Message);
        Assert.Contains("repeats", error.Message);
    }
}
