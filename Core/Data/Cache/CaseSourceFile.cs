namespace Pipeline.Core.Data.Cache;

/// <summary>
/// A source file of a cached case as it was when the case was written: when any of these differ now, the cached
/// case is stale and is written again.
/// </summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Bytes">File size.</param>
/// <param name="ModifiedUtc">Last write time (UTC).</param>
public sealed record CaseSourceFile(string Path, long Bytes, DateTime ModifiedUtc)
{
    /// <summary>The file's current size and write time, or null when it does not exist.</summary>
    public static CaseSourceFile? Stat(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new CaseSourceFile(info.FullName, info.Length, info.LastWriteTimeUtc) : null;
    }
}
