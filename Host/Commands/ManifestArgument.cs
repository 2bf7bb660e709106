using Pipeline.Cli.Cli;
using Pipeline.Core.Composition;
using Pipeline.Core.Manifest;

namespace Pipeline.Cli.Commands;

/// <summary>The manifest file argument shared by <c>run</c>, <c>validate</c> and the worker.</summary>
public static class ManifestArgument
{
    /// <summary>The single positional FILE argument; a usage error otherwise.</summary>
    public static string Require(CommandLine line, string usage)
    {
        if (line.Positionals.Count != 1) throw new CommandLineException($"expected one manifest FILE. Usage: {usage}");
        string file = line.Positionals[0];
        if (!File.Exists(file)) throw new UserFacingException($"manifest not found: {file}");
        return file;
    }

    /// <summary>Loads <paramref name="file"/>; plugin load failures are printed as warnings, manifest errors as a user-facing error.</summary>
    public static PipelineManifest Load(string file, IReadOnlyList<string> overrides, IPluginCatalog catalog, CliOutput output)
    {
        foreach (var failure in catalog.Failures)
            output.Error.WriteLine($"warning: plugin not loaded: {failure.Path}: {failure.Reason}");
        try
        {
            return ManifestLoader.Load(file, overrides, catalog);
        }
        catch (ManifestException e)
        {
            throw new UserFacingException(e.Message, e);
        }
    }
}
