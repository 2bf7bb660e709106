namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>Settings of <see cref="BfrCollapseExperiment"/>.</summary>
public sealed record BfrCollapseOptions
{
    /// <summary>Kernel size k (default 21, RepUX-Net's).</summary>
    public int KernelSize { get; init; } = 21;

    /// <summary>α of the BFM (default 1, the paper's).</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Channels of the depthwise layer (default 4).</summary>
    public int Channels { get; init; } = 4;

    /// <summary>Edge of the cubic input volume (default 24).</summary>
    public int Size { get; init; } = 24;

    /// <summary>Training steps (= forward calls) after which the kernel is measured (default 0, 10, 50, 100, 150, 200).</summary>
    public IReadOnlyList<int> Calls { get; init; } = [0, 10, 50, 100, 150, 200];

    /// <summary>AdamW learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Seed of the initial kernel, inputs and targets (the same for both modes).</summary>
    public long Seed { get; init; } = 0;

    /// <summary>Every problem with these settings, by option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (KernelSize < 5 || KernelSize % 2 == 0) yield return ("kernel", $"must be odd and at least 5, got {KernelSize}.");
        if (!double.IsFinite(Alpha) || Alpha <= 0) yield return ("alpha", $"must be positive, got {Alpha}.");
        if (Channels <= 0) yield return ("channels", $"must be positive, got {Channels}.");
        if (Size <= 0) yield return ("size", $"must be positive, got {Size}.");
        if (Calls.Count == 0 || Calls.Any(n => n < 0)) yield return ("calls", "must list non-negative call counts.");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) yield return ("learning-rate", $"must be positive, got {LearningRate}.");
    }
}
