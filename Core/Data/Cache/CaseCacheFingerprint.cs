using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Manifest;

namespace Pipeline.Core.Data.Cache;

/// <summary>
/// The name of a disk-cache folder: a hash of everything that decides every cached case at once — the cache layout
/// version, the stored image type, and the dataset's definition (plugin name, resolved options, preprocess list).
/// Changing any of them selects another folder, so a stale cache is never read. What decides a single case — its
/// source files — is checked per case against the sizes and write times stored in its metadata
/// (<see cref="CaseCacheEntry.Sources"/>), so a changed file rewrites only its own case.
/// </summary>
public static class CaseCacheFingerprint
{
    /// <summary>16 hex digits of the SHA-256 of the layout version, <paramref name="imageType"/> and <paramref name="definition"/>.</summary>
    public static string Of(string definition, CacheImageType imageType)
    {
        string text = $"pipeline case cache\nformat: {CaseCacheEntry.CurrentFormat}\nimage_dtype: {SnakeCase.From(imageType.ToString())}\n{definition}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
