using System.Text;

namespace Pipeline.Core.IO;

/// <summary>
/// Writes files so that readers see either the old content or the new, never a partial file: the content goes to a
/// temporary file in the same folder (so the final rename stays on one file system), is flushed to disk, and is then
/// renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="contents"/> as UTF-8 without BOM.</summary>
    /// <param name="path">The target file; its folder is created when missing.</param>
    /// <param name="contents">The full new content.</param>
    public static void WriteAllText(string path, string contents) =>
        Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents));
            stream.Flush(flushToDisk: true);
        });

    /// <summary>
    /// Lets <paramref name="writeTo"/> create and fill a temporary file (its argument) in the target's folder, then
    /// renames it over <paramref name="path"/>. A failure leaves the old file untouched and no temporary file behind.
    /// </summary>
    public static void Write(string path, Action<string> writeTo)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        // Hidden and unique, so concurrent writers and folder listings do not trip over it.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTo(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
