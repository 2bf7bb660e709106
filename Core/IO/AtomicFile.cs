using System.Text;

namespace Pipeline.Core.IO;

/// <summary>
/// Writes files so that readers see either the old content or the new, never a partial file: the text goes to a
/// temporary file in the same folder (so the final rename stays on one file system), is flushed to disk, and is then
/// renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="contents"/> as UTF-8 without BOM.</summary>
    /// <param name="path">The target file; its folder is created when missing.</param>
    /// <param name="contents">The full new content.</param>
    public static void WriteAllText(string path, string contents)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        // Hidden and unique, so concurrent writers and folder listings do not trip over it.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            // After a successful move there is nothing left; after a failure, no stray temporary file.
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
