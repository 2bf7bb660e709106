using System.Diagnostics;
using System.Globalization;
using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Sliding-window inference of a synthetic volume with a tiny convolutional network through
/// <see cref="SegmentationPredictor"/> (CPU aggregation, uint8 labels): prints the memory estimate first, then
/// measures wall time and the process's peak resident memory (VmHWM of /proc/self/status, Linux). A 2-layer network
/// keeps the run to minutes on a 2-core CPU; a real network adds its activations and its compute per window.
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>What one run measured.</summary>
    /// <param name="Options">The settings.</param>
    /// <param name="Estimate">The memory estimate printed before the run.</param>
    /// <param name="Windows">Windows predicted.</param>
    /// <param name="Seconds">Wall time of the prediction (windows, blending, argmax, probabilities).</param>
    /// <param name="ResidentBeforeBytes">Resident memory before the prediction (the volume, runtime and libtorch), or null off Linux.</param>
    /// <param name="PeakResidentBytes">The process's peak resident memory after the prediction, or null off Linux.</param>
    /// <param name="Threads">torch intra-op threads.</param>
    /// <param name="LabelCounts">Voxels per predicted class (a check that labels were written).</param>
    public sealed record Result(InferenceBenchmarkOptions Options, InferenceMemoryEstimate Estimate, long Windows, double Seconds,
                                long? ResidentBeforeBytes, long? PeakResidentBytes, int Threads, IReadOnlyList<long> LabelCounts);

    /// <summary>Runs the benchmark; writes the estimate to <paramref name="log"/> before the run starts.</summary>
    public static Result Run(InferenceBenchmarkOptions options, TextWriter log)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems.Select(p => $"--{p.Key}: {p.Message}")));
        var prediction = options.ToPredictionOptions();
        var predictor = new SegmentationPredictor(prediction, CPU);
        long[] shape = options.Shape.Select(s => (long)s).ToArray();
        var estimate = predictor.EstimateMemory(shape, 1, options.Classes, activationBytesPerVoxel: TinyActivationBytesPerVoxel(options.Width));
        log.WriteLine($"memory estimate: {estimate}");
        log.Flush();

        using var network = TinyNetwork(options.Width, options.Classes, seed: 1);
        network.eval();
        using var image = randn([1, .. shape], generator: new Generator(2));
        long windows = new SlidingWindowInference(prediction.ToSlidingWindowOptions(CPU)).WindowCount(shape);
        long? before = ProcStatusBytes("VmRSS");

        var clock = Stopwatch.StartNew();
        long[] counts;
        using (var scope = NewDisposeScope())
        {
            using var result = predictor.Predict(network.call, image);
            clock.Stop();
            counts = result.Labels.flatten().bincount(null, options.Classes).data<long>().ToArray();
        }
        return new Result(options, estimate, windows, clock.Elapsed.TotalSeconds, before, ProcStatusBytes("VmHWM"), get_num_threads(), counts);
    }

    /// <summary>The markdown table row(s) of <paramref name="result"/>, with a header.</summary>
    public static string ToMarkdownTable(Result result)
    {
        var o = result.Options;
        string Gb(long? bytes) => bytes is { } b ? (b / 1e9).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
        return string.Join('\n',
            "| volume | ROI | overlap | blend | sw batch | TTA flips | classes | network | windows | torch threads | estimate GB | RSS before GB | peak RSS GB | wall s |",
            "|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
            string.Create(CultureInfo.InvariantCulture,
                $"| {string.Join('×', o.Shape)} | {string.Join('×', o.Roi)} | {o.Overlap} | {o.Blend.ToString().ToLowerInvariant()} | {o.WindowBatchSize} | " +
                $"{MirroredPrediction.Flips(o.MirrorAxes).Count} | {o.Classes} | {o.Network} ({o.Width} ch) | {result.Windows} | {result.Threads} | " +
                $"{Gb(result.Estimate.TotalBytes)} | {Gb(result.ResidentBeforeBytes)} | {Gb(result.PeakResidentBytes)} | {result.Seconds:0.0} |"));
    }

    /// <summary>Bytes alive inside the tiny network per window voxel: the hidden conv's output and its ReLU, float32.</summary>
    private static double TinyActivationBytesPerVoxel(int width) => 2 * 4.0 * width;

    /// <summary>3×3×3 conv (1 → width), ReLU, 1×1×1 conv (width → classes), weights drawn from a fixed seed.</summary>
    private static nn.Module<Tensor, Tensor> TinyNetwork(int width, int classes, int seed)
    {
        var network = nn.Sequential(
            ("features", nn.Conv3d(1, width, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("head", nn.Conv3d(width, classes, 1)));
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var parameter in network.parameters())
            parameter.copy_(randn(parameter.shape, generator: generator) * 0.3);
        return network;
    }

    /// <summary>A "kB" field of /proc/self/status in bytes, or null where there is none.</summary>
    private static long? ProcStatusBytes(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }
}
