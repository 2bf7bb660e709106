using Pipeline.Core.Nn;

namespace Pipeline.Cli.Commands;

/// <summary>Settings of <see cref="RepUxStepBenchmark"/>.</summary>
public sealed record RepUxStepBenchmarkOptions
{
    /// <summary>Channels C of the blocks (default 16).</summary>
    public int Channels { get; init; } = 16;

    /// <summary>Edge of the cubic input 1×C×s³ (default 48).</summary>
    public int Size { get; init; } = 48;

    /// <summary>Depthwise kernel size (default 21).</summary>
    public int KernelSize { get; init; } = 21;

    /// <summary>RepUX-Net blocks in the stack (default 2).</summary>
    public int Blocks { get; init; } = 2;

    /// <summary>Timed rounds after one warm-up round (default 5).</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Depthwise paths of the large kernels (default native, fft).</summary>
    public IReadOnlyList<DepthwiseConvPath> Paths { get; init; } = [DepthwiseConvPath.Native, DepthwiseConvPath.Fft];

    /// <summary>Paths whose training step is timed (default fft only: libtorch's own backward at k = 21 takes about a minute).</summary>
    public IReadOnlyList<DepthwiseConvPath> TrainPaths { get; init; } = [DepthwiseConvPath.Fft];

    /// <summary>Every problem with these settings, by option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Channels <= 0) yield return ("channels", $"must be positive, got {Channels}.");
        if (Size <= 0) yield return ("size", $"must be positive, got {Size}.");
        if (KernelSize < 9 || KernelSize % 2 == 0) yield return ("kernel", $"must be odd and at least 9 (the structural branches are 3, 5, 7), got {KernelSize}.");
        if (Blocks <= 0) yield return ("blocks", $"must be positive, got {Blocks}.");
        if (Repeats <= 0) yield return ("repeats", $"must be positive, got {Repeats}.");
        if (Paths.Count == 0) yield return ("paths", "must name at least one path.");
    }
}
