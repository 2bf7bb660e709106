using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>Parses manifest text into a YAML node tree whose nodes keep their start marks.</summary>
internal static class ManifestYamlReader
{
    /// <summary>
    /// The top-level mapping of <paramref name="text"/>, or null with the problem reported (invalid YAML, an empty
    /// text, several documents, a top level that is not a mapping).
    /// </summary>
    public static YamlMappingNode? Read(string text, ManifestDiagnostics diagnostics)
    {
        var stream = ParseStream(text, diagnostics);
        if (stream is null)
            return null;

        var locator = diagnostics.Locator;
        switch (stream.Documents.Count)
        {
            case 0:
                diagnostics.Report(locator.Start, "", "the manifest is empty");
                return null;
            case > 1:
                diagnostics.Report(stream.Documents[1].RootNode, "",
                    $"expected a single YAML document, found {stream.Documents.Count}");
                return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping)
            return mapping;
        diagnostics.Report(root, "", $"expected a mapping at the top level, got {YamlNodes.Describe(root)}");
        return null;
    }

    /// <summary>Parses YAML text; on a syntax error reports it at its position and returns null.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="diagnostics">Receives the syntax error.</param>
    /// <param name="locationOfError">
    /// Where to report a syntax error instead of its position in <paramref name="text"/> (used for override values).
    /// </param>
    public static YamlStream? ParseStream(string text, ManifestDiagnostics diagnostics, SourceLocation? locationOfError = null)
    {
        var scanner = new Scanner(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
            return stream;
        }
        catch (YamlException exception)
        {
            diagnostics.Report(locationOfError ?? At(diagnostics, exception.Start), "", $"invalid YAML: {exception.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException for some unterminated flow collections
            // (e.g. "a: [1, 2" followed by "b: 3"); the scanner's position is where it gave up.
            diagnostics.Report(locationOfError ?? At(diagnostics, scanner.CurrentPosition), "",
                "invalid YAML: unexpected text (is a '[' or '{' not closed?)");
        }
        return null;
    }

    private static SourceLocation At(ManifestDiagnostics diagnostics, Mark mark) =>
        SourceLocation.InFile(diagnostics.Locator.SourceName, checked((int)mark.Line), checked((int)mark.Column));
}
