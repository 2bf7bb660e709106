using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Models.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Times a whole <see cref="SwinUnetr"/> (in_channels 1, MONAI's defaults otherwise) on a 1×1×s³ input: the forward
/// pass in eval mode under no_grad, and forward+backward in train mode (loss: mean squared logits), plain or with
/// activation checkpointing. Configurations run one after another, each network built, warmed up once, timed, and
/// disposed before the next, so only one network's memory is held at a time. The peak working set is the process's,
/// so compare plain and checkpointed memory from separate runs.
/// </summary>
public static class SwinBenchmark
{
    /// <summary>Label of the plain forward measure.</summary>
    public const string ForwardMeasure = "fwd";

    /// <summary>Label of the forward+backward measure.</summary>
    public const string ForwardBackwardMeasure = "fwd+bwd";

    /// <summary>Label of the forward+backward measure with activation checkpointing.</summary>
    public const string CheckpointedMeasure = "fwd+bwd, checkpointed";

    /// <summary>Runs every configuration; progress goes to <paramref name="log"/>.</summary>
    public static IReadOnlyList<SwinTiming> Run(SwinBenchmarkOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var timings = new List<SwinTiming>();
        foreach (int size in options.Sizes)
        foreach (int featureSize in options.FeatureSizes)
        foreach (var attention in options.AttentionPaths)
        {
            using var network = new SwinUnetr(1, options.OutChannels, featureSize, attentionPath: attention);
            using var input = randn(new long[] { 1, 1, size, size, size }, generator: new Generator(7));
            if (options.Forward)
                timings.Add(Measure(options, log, size, featureSize, attention, ForwardMeasure, () => Forward(network, input), cancellationToken));
            if (options.ForwardBackward)
            {
                network.UseCheckpoint = options.Checkpoint;
                string measure = options.Checkpoint ? CheckpointedMeasure : ForwardBackwardMeasure;
                timings.Add(Measure(options, log, size, featureSize, attention, measure, () => ForwardBackward(network, input), cancellationToken));
            }
        }
        return timings;
    }

    /// <summary>
    /// A markdown table: one row per configuration and measure, wall milliseconds (median and minimum), process CPU
    /// seconds (median; all threads, so less sensitive to other load than wall time) and the peak working set.
    /// </summary>
    public static string ToMarkdownTable(IReadOnlyList<SwinTiming> timings)
    {
        var text = new StringBuilder();
        text.AppendLine("| input | feature size | attention | measure | wall ms, median (min) | CPU s, median | peak working set GiB |");
        text.AppendLine("|---|---:|---|---|---:|---:|---:|");
        foreach (var t in timings)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| 1×1×{t.Size}³ | {t.FeatureSize} | {t.Attention} | {t.Measure} | {t.Median:F0} ({t.Minimum:F0}) | {t.CpuMedian:F1} | {t.PeakWorkingSetGiB:F1} |"));
        return text.ToString();
    }

    private static SwinTiming Measure(SwinBenchmarkOptions options, TextWriter log, int size, int featureSize, WindowAttentionPath attention,
        string measure, Action run, CancellationToken cancellationToken)
    {
        var milliseconds = new List<double>();
        var cpuSeconds = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (int round = 0; round <= options.Repeats; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            run();
            watch.Stop();
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            if (round > 0)
            {
                milliseconds.Add(watch.Elapsed.TotalMilliseconds);
                cpuSeconds.Add(cpu);
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size}^3 F={featureSize} {attention} {measure}: {(round == 0 ? "warm-up" : $"round {round}/{options.Repeats}")} {watch.Elapsed.TotalMilliseconds:F0} ms wall, {cpu:F1} s CPU"));
        }
        process.Refresh();
        return new SwinTiming(size, featureSize, attention, measure, milliseconds, cpuSeconds, process.PeakWorkingSet64 / (double)(1L << 30));
    }

    private static void Forward(SwinUnetr network, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.eval();
        network.call(input);
    }

    private static void ForwardBackward(SwinUnetr network, Tensor input)
    {
        using var scope = NewDisposeScope();
        network.train();
        network.zero_grad();
        network.call(input).square().mean().backward();
    }
}
