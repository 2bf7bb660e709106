using System.Text;

namespace Pipeline.Core.Training;

/// <summary>
/// Writes a text file so that readers see either the old or the complete new content: the text goes to a temporary
/// file in the same folder, is flushed to disk, then renamed over the target (a rename is atomic within a file system).
/// </summary>
internal static class AtomicTextFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> (UTF-8, no BOM).</summary>
    public static void Write(string path, string contents)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
