using System.Text.Json.Serialization;

namespace Pipeline.Core.Data.Cache;

/// <summary>
/// The metadata of one cached case (<c>&lt;case&gt;.json</c> next to its <c>.img.bin</c> / <c>.lbl.bin</c>). It is
/// written last, so its presence means both array files are complete (see <see cref="DiskCachedDataset"/>).
/// <para>The preprocessing record is kept only as a summary: a cached case cannot be taken back to its source grid,
/// so the cache serves training and validation, and inference reads its cases from the source files.</para>
/// </summary>
public sealed class CaseCacheEntry
{
    /// <summary>The layout version this code writes; entries of another version are rewritten.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Layout version of the entry.</summary>
    public int Format { get; init; }

    /// <summary>The case id.</summary>
    public required string CaseId { get; init; }

    /// <summary>The image array ([C, D, H, W]).</summary>
    public required CachedArray Image { get; init; }

    /// <summary>The label array ([D, H, W] class indices), or null for an unlabelled case.</summary>
    public CachedArray? Label { get; init; }

    /// <summary>Voxel spacing (mm) per spatial axis.</summary>
    public required double[] Spacing { get; init; }

    /// <summary>The voxel-to-world affine, row-major (16 numbers), or null for a case without one.</summary>
    public double[]? Affine { get; init; }

    /// <summary>The dataset's class names when the case was written.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The case's source files (empty for generated cases, whose options fix them).</summary>
    public required IReadOnlyList<CaseSourceFile> Sources { get; init; }

    /// <summary>The geometric preprocessing applied to the case, one line per operation (for people; not invertible).</summary>
    public required IReadOnlyList<string> Preprocessing { get; init; }

    /// <summary>For float16 images: the largest |stored − original| over the case's voxels; null for exact types.</summary>
    public double? Float16MaxAbsError { get; init; }

    /// <summary>Bytes of the two array files.</summary>
    [JsonIgnore]
    public long DiskBytes => Image.Bytes + (Label?.Bytes ?? 0);
}
