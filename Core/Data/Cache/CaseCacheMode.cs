namespace Pipeline.Core.Data.Cache;

/// <summary>Where the train stage keeps the cases of its splits between uses.</summary>
public enum CaseCacheMode
{
    /// <summary>Nothing is kept: every patch and every validation case loads (and preprocesses) its case again.</summary>
    None,

    /// <summary>Every case stays in memory (float32 image, int64 label) after its first load.</summary>
    Memory,

    /// <summary>
    /// Every case is loaded and preprocessed once, written to a compact on-disk cache, and read back through a
    /// memory-mapped file at each use (<see cref="DiskCachedDataset"/>); memory holds one case at a time plus the
    /// operating system's page cache.
    /// </summary>
    Disk,
}
