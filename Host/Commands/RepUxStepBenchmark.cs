using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Priors.Bfr;
using Pipeline.Plugins.Priors.Structural;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Times a stack of RepUX-Net blocks (depthwise k³ → BatchNorm → GELU) on a 1×C×s³ input with each weight prior:
/// one training step (forward, backward of the mean squared output, AdamW step) and one inference forward (eval,
/// no_grad), unfolded and folded. Every configuration runs once per round, interleaved, so load on a shared machine
/// spreads over all of them; the first round is a warm-up. The structural branches (3, 5, 7) run on the Auto path
/// (libtorch forward, custom backward), whatever the large kernel's path.
/// </summary>
public static class RepUxStepBenchmark
{
    private static readonly string[] Priors = ["none", "bfr", "structural"];

    /// <summary>Runs every configuration; progress goes to <paramref name="log"/>.</summary>
    public static IReadOnlyList<RepUxStepTiming> Run(RepUxStepBenchmarkOptions options, TextWriter log)
    {
        var cases = new List<(DepthwiseConvPath Path, string Prior, string Measure, Action Run, IDisposable Owner)>();
        using var input = randn(new long[] { 1, options.Channels, options.Size, options.Size, options.Size });
        try
        {
            foreach (var path in options.Paths)
            foreach (string prior in Priors)
            {
                if (options.TrainPaths.Contains(path))
                {
                    var trained = BuildStack(options, path, prior);
                    var optimizer = optim.AdamW(trained.parameters().Where(p => p.requires_grad), 1e-3);
                    trained.train();
                    cases.Add((path, prior, "train step", () => TrainStep(trained, optimizer, input), new Owned(trained, optimizer)));
                }
                var inferred = BuildStack(options, path, prior);
                inferred.eval();
                cases.Add((path, prior, "inference", () => Infer(inferred, input), inferred));
                if (prior != "none")
                {
                    var folded = BuildStack(options, path, prior);
                    folded.eval();
                    foreach (var layer in folded.modules().OfType<DepthwiseConv3d>().Where(l => l.Reparameterization is not null).ToList())
                        layer.Fold();
                    cases.Add((path, prior, "folded inference", () => Infer(folded, input), folded));
                }
            }

            var times = cases.Select(_ => new List<double>()).ToList();
            for (int round = 0; round <= options.Repeats; round++)
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    var watch = Stopwatch.StartNew();
                    cases[i].Run();
                    watch.Stop();
                    if (round > 0) times[i].Add(watch.Elapsed.TotalMilliseconds);
                }
                log.WriteLine(round == 0 ? "warm-up round done" : $"round {round}/{options.Repeats} done");
            }
            return cases.Select((c, i) => new RepUxStepTiming(c.Path, c.Prior, c.Measure, times[i])).ToList();
        }
        finally
        {
            foreach (var c in cases) c.Owner.Dispose();
        }
    }

    /// <summary>A markdown table: one row per path and prior, median (minimum) milliseconds per measure and the overhead over none.</summary>
    public static string ToMarkdownTable(IReadOnlyList<RepUxStepTiming> timings)
    {
        string[] measures = ["train step", "inference", "folded inference"];
        var text = new StringBuilder();
        text.AppendLine("| path | prior | " + string.Join(" | ", measures.Select(m => $"{m} ms, median (min) | vs none")) + " |");
        text.AppendLine("|---|---|" + string.Concat(measures.Select(_ => "---:|---:|")));
        foreach (var group in timings.GroupBy(t => (t.Path, t.Prior)))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {group.Key.Path} | {group.Key.Prior} |");
            foreach (string measure in measures)
            {
                var timing = group.FirstOrDefault(t => t.Measure == measure);
                // Folded layers are plain layers, so the folded row compares with none's ordinary inference.
                var baseline = timings.FirstOrDefault(t => t.Path == group.Key.Path && t.Prior == "none"
                                                           && t.Measure == (measure == "folded inference" ? "inference" : measure));
                text.Append(timing is null
                    ? " - | - |"
                    : string.Create(CultureInfo.InvariantCulture, $" {timing.Median:F0} ({timing.Minimum:F0}) | {(baseline is null ? "-" : $"{(timing.Median / baseline.Median - 1) * 100:+0;-0}%")} |"));
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static nn.Module<Tensor, Tensor> BuildStack(RepUxStepBenchmarkOptions options, DepthwiseConvPath path, string prior)
    {
        var blocks = Enumerable.Range(0, options.Blocks).Select(_ => new RepUxBlock(options.Channels, options.KernelSize, path)).ToList();
        foreach (var block in blocks)
        {
            var layer = block.dwconv;
            switch (prior)
            {
                case "bfr":
                    layer.Install(new BfrReparameterization(BayesianFrequencyMatrix.Create(options.KernelSize, 1)));
                    break;
                case "structural":
                    layer.Install(new StructuralReparameterization(options.Channels, options.KernelSize, [3, 5, 7], DepthwiseConvPath.Auto));
                    break;
            }
        }
        return nn.Sequential(blocks.Select(b => (nn.Module<Tensor, Tensor>)b).ToArray());
    }

    private static void TrainStep(nn.Module<Tensor, Tensor> stack, optim.Optimizer optimizer, Tensor input)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        stack.call(input).square().mean().backward();
        optimizer.step();
    }

    private static void Infer(nn.Module<Tensor, Tensor> stack, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        stack.call(input);
    }

    /// <summary>Disposes a trained stack together with its optimizer.</summary>
    private sealed class Owned(IDisposable stack, IDisposable optimizer) : IDisposable
    {
        public void Dispose()
        {
            optimizer.Dispose();
            stack.Dispose();
        }
    }
}
