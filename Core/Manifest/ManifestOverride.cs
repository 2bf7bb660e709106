namespace Pipeline.Core.Manifest;

/// <summary>One parsed <c>--set path.to.key=value</c> override.</summary>
internal sealed class ManifestOverride
{
    private ManifestOverride(string text, string path, IReadOnlyList<string> segments, string valueText)
    {
        Text = text;
        Path = path;
        Segments = segments;
        ValueText = valueText;
    }

    /// <summary>The override as given, <c>path=value</c>.</summary>
    public string Text { get; }

    /// <summary>The part before the first <c>=</c>, e.g. <c>stages.train.options.iterations</c>.</summary>
    public string Path { get; }

    /// <summary><see cref="Path"/> split on dots.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The part after the first <c>=</c>, parsed as YAML when applied.</summary>
    public string ValueText { get; }

    /// <summary>Splits <paramref name="text"/>; returns null with <paramref name="problem"/> set when malformed.</summary>
    public static ManifestOverride? TryParse(string text, out string? problem)
    {
        problem = null;
        var equals = text.IndexOf('=');
        if (equals < 0)
        {
            problem = "expected PATH=VALUE, e.g. stages.train.options.iterations=5";
            return null;
        }
        var path = text[..equals].Trim();
        var segments = path.Split('.');
        if (path.Length == 0 || segments.Any(segment => segment.Length == 0))
        {
            problem = $"the path '{path}' has an empty segment; use dot-separated keys, e.g. model.options.out_channels";
            return null;
        }
        return new ManifestOverride(text, path, segments, text[(equals + 1)..]);
    }
}
