using System.Globalization;
using System.Text;
using Pipeline.Core.Nn;
using Pipeline.Plugins.Priors.Bfr;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>
/// Reproduces what the released RepUX-Net code does to its large kernels and contrasts it with the paper's
/// re-parameterization: one k³ depthwise layer (FFT path) starts from the same seeded kernel in each BFR mode and is
/// trained with AdamW on a fixed regression task (random input, random target, mean squared error), and its
/// effective kernel is measured after each requested number of steps. In official mode every step's forward call
/// multiplies the kernel by the BFM, so after n calls it is W₀ ⊙ BFMⁿ; in reparam mode the latent kernel trains.
/// </summary>
public static class BfrCollapseExperiment
{
    /// <summary>Runs both modes; returns one measurement per mode and requested call count, official first.</summary>
    public static IReadOnlyList<BfrCollapseMeasurement> Run(BfrCollapseOptions options)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")), nameof(options));
        return new[] { BfrMode.Official, BfrMode.Reparam }.SelectMany(mode => RunMode(options, mode)).ToList();
    }

    private static List<BfrCollapseMeasurement> RunMode(BfrCollapseOptions options, BfrMode mode)
    {
        using var generator = new Generator((ulong)options.Seed);
        using var layer = new DepthwiseConv3d(options.Channels, options.KernelSize, hasBias: true, DepthwiseConvPath.Fft);
        double bound = 1.0 / Math.Sqrt(Math.Pow(options.KernelSize, 3));
        using (no_grad())
        {
            layer.weight.copy_(rand(layer.weight.shape, generator: generator) * (2 * bound) - bound);
            layer.bias!.zero_();
        }
        var matrix = BayesianFrequencyMatrix.Create(options.KernelSize, options.Alpha);
        layer.Install(mode == BfrMode.Official ? new OfficialBfrReparameterization(layer, matrix) : new BfrReparameterization(matrix));

        long[] shape = [1, options.Channels, options.Size, options.Size, options.Size];
        using var input = randn(shape, generator: generator);
        using var target = randn(shape, generator: generator);
        using var optimizer = optim.AdamW(layer.parameters().Where(p => p.requires_grad), options.LearningRate);
        using var initial = OutsideCentre(layer);

        var measurements = new List<BfrCollapseMeasurement>();
        var wanted = options.Calls.Distinct().Order().ToList();
        int calls = 0;
        foreach (int stop in wanted)
        {
            for (; calls < stop; calls++)
            {
                using var step = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(layer.call(input), target);
                loss.backward();
                optimizer.step();
            }
            using var scope = NewDisposeScope();
            using var kernel = EffectiveKernel.Of(layer);
            var change = (OutsideCentre(layer) - initial).norm().item<double>() / initial.norm().item<double>();
            measurements.Add(new BfrCollapseMeasurement(mode, calls, KernelProfile.Of(kernel), change));
        }
        return measurements;
    }

    /// <summary>The effective kernel's taps outside the centre 3³, flattened, float64.</summary>
    private static Tensor OutsideCentre(DepthwiseConv3d layer)
    {
        using var scope = NewDisposeScope();
        var kernel = EffectiveKernel.Of(layer);
        long k = layer.KernelSize;
        var reach = (arange(k) - k / 2).abs();
        var outside = reach.view(k, 1, 1).maximum(reach.view(1, k, 1)).maximum(reach.view(1, 1, k)) > 1;
        return kernel.to_type(ScalarType.Float64).reshape(-1, k, k, k)
            .masked_select(outside.unsqueeze(0).expand(layer.Channels, k, k, k))
            .MoveToOuterDisposeScope();
    }

    /// <summary>A markdown table of <paramref name="measurements"/>, one row per mode and call count.</summary>
    public static string ToMarkdownTable(IReadOnlyList<BfrCollapseMeasurement> measurements)
    {
        var text = new StringBuilder();
        text.AppendLine("| mode | forward calls | non-zero taps outside 3³ | energy outside 3³ | fraction outside 3³ | mean \\|w\\| r=1 | r=5 | r=10 | rel. change outside 3³ |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in measurements)
        {
            var shells = m.Profile.MeanAbsByShell;
            string Shell(int r) => r < shells.Count ? Number(shells[r]) : "-";
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Mode.ToString().ToLowerInvariant()} | {m.Calls} | {m.Profile.NonZeroOffCentreTaps} / {m.Profile.OffCentreTaps} | {Number(m.Profile.EnergyOutsideCentre)} | {Number(m.Profile.EnergyFractionOutsideCentre)} | {Shell(1)} | {Shell(5)} | {Shell(10)} | {Number(m.RelativeChange)} |"));
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString(value == 0 ? "0" : "0.00e+0", CultureInfo.InvariantCulture);
}
