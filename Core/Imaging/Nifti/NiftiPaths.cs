namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// File naming conventions: single files end in <c>.nii</c> or <c>.nii.gz</c>; a pair is a header <c>.hdr</c> plus
/// voxel data <c>.img</c> (either may be gzipped, <c>.hdr.gz</c>/<c>.img.gz</c>). Either half of a pair may be named.
/// </summary>
public static class NiftiPaths
{
    /// <summary>True when <paramref name="path"/> ends in <c>.gz</c> (case-insensitive).</summary>
    public static bool IsGzipName(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for names ending in <c>.nii</c> or <c>.nii.gz</c>.</summary>
    public static bool IsSingleFileName(string path) =>
        path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The header file and the data file for <paramref name="path"/>: the same file for a single file; for a name
    /// ending in <c>.hdr</c> or <c>.img</c> (optionally <c>.gz</c>) the existing partner with the other extension,
    /// trying the same compression first.
    /// </summary>
    /// <exception cref="FileNotFoundException">The named file, or the partner of a pair, does not exist.</exception>
    public static (string HeaderPath, string DataPath) Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var (stem, extension, gz) = Split(full);
        if (extension is ".hdr" or ".img")
        {
            var wanted = extension == ".hdr" ? ".img" : ".hdr";
            var candidates = new[] { stem + wanted + (gz ? ".gz" : ""), stem + wanted + (gz ? "" : ".gz") };
            var partner = candidates.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"{full}: the {wanted} file of this .hdr/.img pair is missing (looked for {string.Join(" and ", candidates)})", candidates[0]);
            if (!File.Exists(full)) throw new FileNotFoundException($"NIfTI file '{full}' does not exist.", full);
            return extension == ".hdr" ? (full, partner) : (partner, full);
        }
        if (!File.Exists(full)) throw new FileNotFoundException($"NIfTI file '{full}' does not exist.", full);
        return (full, full);
    }

    private static (string Stem, string Extension, bool Gz) Split(string path)
    {
        var gz = IsGzipName(path);
        var withoutGz = gz ? path[..^3] : path;
        var extension = Path.GetExtension(withoutGz).ToLowerInvariant();
        return (withoutGz[..^extension.Length], extension, gz);
    }
}
