namespace Pipeline.Core.Manifest;

/// <summary>Builds the key paths that errors show, e.g. <c>stages[1].options.roi_size</c>.</summary>
internal static class KeyPath
{
    /// <summary>The path of mapping key <paramref name="key"/> under <paramref name="parent"/>.</summary>
    public static string Key(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>The path of sequence item <paramref name="index"/> under <paramref name="parent"/>.</summary>
    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
