using Pipeline.Plugins.Models.Blocks;
using Pipeline.Plugins.Models.Nets;

namespace Pipeline.Cli.Commands;

/// <summary>Settings of <see cref="SwinBenchmark"/>.</summary>
public sealed record SwinBenchmarkOptions
{
    /// <summary>Edges of the cubic inputs 1×1×s³ (default 64; each a multiple of 32).</summary>
    public IReadOnlyList<int> Sizes { get; init; } = [64];

    /// <summary>Feature sizes F of the networks (default 12, 48; multiples of 12).</summary>
    public IReadOnlyList<int> FeatureSizes { get; init; } = [12, 48];

    /// <summary>Window-attention implementations to time (default the fused one).</summary>
    public IReadOnlyList<WindowAttentionPath> AttentionPaths { get; init; } = [WindowAttentionPath.ScaledDotProduct];

    /// <summary>Whether the forward pass (eval, no_grad) is timed (default true).</summary>
    public bool Forward { get; init; } = true;

    /// <summary>Whether forward+backward (train mode, mean squared logits) is timed (default true).</summary>
    public bool ForwardBackward { get; init; } = true;

    /// <summary>Whether forward+backward runs with activation checkpointing instead of plainly (default false).</summary>
    public bool Checkpoint { get; init; }

    /// <summary>Timed repetitions after one warm-up (default 3); the table shows their median and minimum.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Output classes of the networks (default 2; it only changes the 1×1×1 head).</summary>
    public int OutChannels { get; init; } = 2;

    /// <summary>Every problem with these settings, by option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Sizes.Count == 0 || Sizes.Any(size => size <= 0 || size % 32 != 0))
            yield return ("sizes", $"must list positive multiples of 32, got [{string.Join(", ", Sizes)}].");
        if (FeatureSizes.Count == 0 || FeatureSizes.Any(f => f <= 0 || f % SwinUnetr.FeatureSizeMultiple != 0))
            yield return ("feature-sizes", $"must list positive multiples of {SwinUnetr.FeatureSizeMultiple}, got [{string.Join(", ", FeatureSizes)}].");
        if (AttentionPaths.Count == 0) yield return ("attention", "must name at least one implementation.");
        if (!Forward && !ForwardBackward) yield return ("measures", "must name fwd, fwd+bwd or both.");
        if (Repeats <= 0) yield return ("repeats", $"must be positive, got {Repeats}.");
    }
}
