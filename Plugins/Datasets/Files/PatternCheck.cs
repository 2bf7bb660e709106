using System.Text.RegularExpressions;

namespace Pipeline.Plugins.Datasets.Files;

/// <summary>Checks the file-name patterns of the pattern-based layouts.</summary>
public static class PatternCheck
{
    /// <summary>Why <paramref name="pattern"/> is unusable as a file-name pattern with a case group, or null.</summary>
    public static string? Problem(string pattern)
    {
        try
        {
            var regex = new Regex(pattern);
            return regex.GetGroupNumbers().Length < 2 ? $"'{pattern}' needs a capture group (the case key)" : null;
        }
        catch (ArgumentException e)
        {
            return $"'{pattern}' is not a valid regular expression: {e.Message}";
        }
    }

    /// <summary>Files under <paramref name="folder"/> (recursively) whose name matches, by the value of group 1.</summary>
    /// <exception cref="InvalidOperationException">Two files share a key; the message names both.</exception>
    public static Dictionary<string, string> FilesByKey(string folder, string pattern)
    {
        var regex = new Regex(pattern);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var match = regex.Match(Path.GetFileName(path));
            if (!match.Success || Path.GetFileName(path).StartsWith('.')) continue;
            string key = match.Groups[1].Value;
            if (result.TryGetValue(key, out var other))
                throw new InvalidOperationException($"two files have the case key '{key}': '{other}' and '{path}'");
            result[key] = path;
        }
        return result;
    }
}
