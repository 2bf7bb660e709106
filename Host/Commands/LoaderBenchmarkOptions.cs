namespace Pipeline.Cli.Commands;

/// <summary>Settings of <c>pipeline bench loader</c> (<see cref="LoaderBenchmark"/>).</summary>
public sealed record LoaderBenchmarkOptions
{
    /// <summary>Cases of the generated NIfTI dataset.</summary>
    public int Cases { get; init; } = 8;

    /// <summary>Size [i, j, k] of each generated NIfTI case.</summary>
    public int[] Size { get; init; } = [96, 96, 64];

    /// <summary>Training patch edge (cubic patches).</summary>
    public int Patch { get; init; } = 32;

    /// <summary>Optimizer steps per measured run.</summary>
    public int Iterations { get; init; } = 30;

    /// <summary>The prefetch values compared.</summary>
    public int[] Prefetch { get; init; } = [0, 2];

    /// <summary>Folder for the generated dataset, manifests, runs and the cache; null: a temporary folder, deleted afterwards.</summary>
    public string? Work { get; init; }

    /// <summary>Problems with these settings, as (option, message).</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Cases < 1) yield return ("cases", $"must be at least 1, got {Cases}.");
        if (Size is null || Size.Length != 3 || Size.Any(s => s < 8 || s > 512))
            yield return ("size", $"must be three sizes between 8 and 512, got [{string.Join(", ", Size ?? [])}].");
        else if (Size.Any(s => s < Patch))
            yield return ("size", $"every size must be at least the patch ({Patch}), got [{string.Join(", ", Size)}].");
        if (Patch < 16 || Patch % 16 != 0) yield return ("patch", $"must be a positive multiple of 16 (the network's divisor), got {Patch}.");
        if (Iterations < 1) yield return ("iterations", $"must be at least 1, got {Iterations}.");
        if (Prefetch is null || Prefetch.Length == 0 || Prefetch.Any(p => p < 0 || p > 64))
            yield return ("prefetch", $"must be values in [0, 64], got [{string.Join(", ", Prefetch ?? [])}].");
    }
}
