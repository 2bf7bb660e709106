using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Nn;

/// <summary>
/// Times every <see cref="DepthwiseConvPath"/> forward and forward+backward on CPU, and checks each against
/// libtorch's conv3d. The numbers behind <see cref="DepthwiseConvolution.Resolve"/> come from here.
/// </summary>
public static class DepthwiseConvBenchmark
{
    /// <summary>
    /// Runs the benchmark described by <paramref name="options"/>, writing one line per row to <paramref name="log"/>
    /// as it goes (a full default run takes minutes on two cores).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static IReadOnlyList<DepthwiseConvBenchmarkResult> Run(DepthwiseConvBenchmarkOptions options, TextWriter log)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(
                "Invalid depthwise benchmark options: " + string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")),
                nameof(options));

        var results = new List<DepthwiseConvBenchmarkResult>();
        foreach (int channels in options.Channels)
        foreach (int size in options.SpatialSizes)
        foreach (int k in options.KernelSizes)
        {
            var shape = new long[] { options.BatchSize, channels, size, size, size };
            foreach (var row in MeasureCase(options, shape, k))
            {
                log.WriteLine(FormatLine(row));
                results.Add(row);
            }
        }
        return results;
    }

    /// <summary>The rows as a Markdown table (times in ms, "-" where a time was not measured).</summary>
    public static string ToMarkdownTable(IEnumerable<DepthwiseConvBenchmarkResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| k | input | path | fwd ms | fwd+bwd ms | max abs diff vs native |");
        text.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var r in results)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.KernelSize} | {r.ShapeText} | {r.Path} | {r.ForwardMs:F0} | {FormatMs(r.ForwardBackwardMs)} | {r.MaxAbsDiff:0.0e+0} |"));
        return text.ToString();
    }

    private static IEnumerable<DepthwiseConvBenchmarkResult> MeasureCase(DepthwiseConvBenchmarkOptions options, long[] shape, int k)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(unchecked((ulong)options.Seed));
        long channels = shape[1];
        double bound = 1.0 / Math.Sqrt(k * k * k);
        var input = randn(shape, generator: generator);
        var kernel = rand(new long[] { channels, 1, k, k, k }, generator: generator) * (2 * bound) - bound;
        var bias = rand(new long[] { channels }, generator: generator) * (2 * bound) - bound;
        var upstream = randn(shape, generator: generator);
        Tensor reference;
        using (no_grad())
            reference = DepthwiseConvolution.Apply(input, kernel, bias, DepthwiseConvPath.Native);

        var rows = new List<DepthwiseConvBenchmarkResult>();
        foreach (var path in options.Paths)
        {
            double forwardMs = MinimumMs(options, () =>
            {
                using (no_grad())
                    DepthwiseConvolution.Apply(input, kernel, bias, path);
            });
            double maxAbsDiff;
            using (no_grad())
                maxAbsDiff = (DepthwiseConvolution.Apply(input, kernel, bias, path) - reference).abs().max().item<float>();

            double? forwardBackwardMs = null;
            bool slowNativeBackward = DepthwiseConvolution.Resolve(path, k, DeviceType.CPU, needsGradient: true) == DepthwiseConvPath.Native
                && k > options.NativeBackwardMaxKernelSize;
            if (!slowNativeBackward)
                forwardBackwardMs = MinimumMs(options, () =>
                {
                    // Fresh leaves per run, so gradients never accumulate across runs.
                    var x = input.detach().requires_grad_();
                    var w = kernel.detach().requires_grad_();
                    var b = bias.detach().requires_grad_();
                    DepthwiseConvolution.Apply(x, w, b, path).backward(new[] { upstream });
                });
            rows.Add(new DepthwiseConvBenchmarkResult(path, k, shape, forwardMs, forwardBackwardMs, maxAbsDiff));
        }
        return rows;
    }

    /// <summary>Fastest of the timed runs of <paramref name="step"/>, each inside its own dispose scope.</summary>
    private static double MinimumMs(DepthwiseConvBenchmarkOptions options, Action step)
    {
        double best = double.MaxValue;
        for (int run = 0; run < options.WarmupRuns + options.Repeats; run++)
        {
            using var scope = NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            step();
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (run >= options.WarmupRuns) best = Math.Min(best, ms);
        }
        return best;
    }

    private static string FormatLine(DepthwiseConvBenchmarkResult r) => string.Create(CultureInfo.InvariantCulture,
        $"dwconv k={r.KernelSize} input={r.ShapeText} path={r.Path}: fwd {r.ForwardMs:F1} ms, fwd+bwd {FormatMs(r.ForwardBackwardMs)} ms, max |diff| {r.MaxAbsDiff:0.0e+0}");

    private static string FormatMs(double? ms) =>
        ms is null ? "-" : ms.Value.ToString("F0", CultureInfo.InvariantCulture);
}
