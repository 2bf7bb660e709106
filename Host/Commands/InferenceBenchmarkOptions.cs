using Pipeline.Core.Inference;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>Settings of <see cref="InferenceBenchmark"/>.</summary>
public sealed record InferenceBenchmarkOptions
{
    /// <summary>Spatial size (I, J, K) of the synthetic volume (default 512 × 512 × 300, a large CT).</summary>
    public IReadOnlyList<int> Shape { get; init; } = [512, 512, 300];

    /// <summary>Window size (default 96³).</summary>
    public IReadOnlyList<int> Roi { get; init; } = [96, 96, 96];

    /// <summary>Output classes (default 5).</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Window overlap (default 0.25).</summary>
    public double Overlap { get; init; } = 0.25;

    /// <summary>Blending (default Gaussian, the inference default).</summary>
    public BlendMode Blend { get; init; } = BlendMode.Gaussian;

    /// <summary>Windows per network call (default 1).</summary>
    public int WindowBatchSize { get; init; } = 1;

    /// <summary>Flip test-time augmentation axes (default none).</summary>
    public IReadOnlyList<int> MirrorAxes { get; init; } = [];

    /// <summary>Probability output type, or null for labels only (default).</summary>
    public ScalarType? ProbabilityType { get; init; }

    /// <summary>The network: only <c>tiny</c> (3×3×3 conv to <see cref="Width"/> channels, ReLU, 1×1×1 conv to the classes).</summary>
    public string Network { get; init; } = "tiny";

    /// <summary>Hidden channels of the tiny network (default 8).</summary>
    public int Width { get; init; } = 8;

    /// <summary>The prediction settings these options describe (uint8 labels).</summary>
    public PredictionOptions ToPredictionOptions() => new()
    {
        RoiSize = Roi,
        Overlap = Overlap,
        WindowBatchSize = WindowBatchSize,
        Blend = Blend,
        MirrorAxes = MirrorAxes,
        ProbabilityType = ProbabilityType,
    };

    /// <summary>Every problem with these settings, by option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Shape.Count != 3 || Shape.Any(s => s < 1)) yield return ("shape", $"must be 3 positive sizes I,J,K, got {string.Join(",", Shape)}.");
        if (Classes is < 1 or > 256) yield return ("classes", $"must be 1 to 256 (the labels are uint8), got {Classes}.");
        if (Width < 1) yield return ("channels", $"must be positive, got {Width}.");
        if (Network != "tiny") yield return ("network", $"unknown network '{Network}'; expected tiny.");
        foreach (var (key, message) in ToPredictionOptions().Validate())
            yield return (key == "roi_size" ? "roi" : key.Replace('_', '-'), message);
    }
}
