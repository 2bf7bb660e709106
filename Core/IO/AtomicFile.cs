namespace Pipeline.Core.IO;

/// <summary>Writes files so that readers see either the old or the new content, never a partial file.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to a temp file in the same folder, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Lets <paramref name="writeTo"/> fill a temp file in the same folder, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTo)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTo(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
