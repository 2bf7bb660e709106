namespace Pipeline.Plugins.Datasets.Files;

/// <summary>File-name rules shared by the NIfTI layouts.</summary>
public static class NiftiFileNames
{
    /// <summary>The extensions a NIfTI image may have, longest first.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".nii.gz", ".nii", ".hdr"];

    /// <summary>The file name without its NIfTI extension (<c>spleen_2.nii.gz</c> → <c>spleen_2</c>).</summary>
    public static string CaseName(string path)
    {
        string name = Path.GetFileName(path);
        foreach (var extension in Extensions)
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) return name[..^extension.Length];
        return name;
    }

    /// <summary>True when the file name ends in a NIfTI extension (hidden files such as macOS <c>._x.nii.gz</c> are not images).</summary>
    public static bool IsImage(string path) =>
        !Path.GetFileName(path).StartsWith('.') && Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
