using System.Globalization;

namespace Pipeline.Core.Data.Cache;

/// <summary>
/// What a set of cases costs: the bytes they take as the tensors training uses (float32 images, int64 labels, as
/// <c>cache: memory</c> keeps them) and the bytes of their compact disk cache.
/// </summary>
/// <param name="Cases">Number of cases.</param>
/// <param name="MemoryBytes">Σ (4 · image voxels·channels + 8 · label voxels).</param>
/// <param name="DiskBytes">Σ bytes of the cached array files.</param>
public sealed record CaseMemoryEstimate(int Cases, long MemoryBytes, long DiskBytes)
{
    /// <summary>The estimate for <paramref name="entries"/>.</summary>
    public static CaseMemoryEstimate Of(IReadOnlyCollection<CaseCacheEntry> entries) => new(
        entries.Count,
        entries.Sum(e => checked(4 * e.Image.Elements + 8 * (e.Label?.Elements ?? 0))),
        entries.Sum(e => e.DiskBytes));

    /// <summary>E.g. <c>~1.23 GB in memory for 8 cases (float32 images, int64 labels); cache on disk 0.21 GB</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"~{Size(MemoryBytes)} in memory for {Cases} cases (float32 images, int64 labels); cache on disk {Size(DiskBytes)}");

    /// <summary>Bytes in GB with two decimals, or in MB below 0.1 GB.</summary>
    public static string Size(long bytes) => bytes >= 100_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
