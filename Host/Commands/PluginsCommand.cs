using System.Text.Json;
using Pipeline.Cli.Cli;
using Pipeline.Core.Composition;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline plugins [--json]</c>: every plugin found, with kind, name, version, assembly and description.</summary>
public sealed class PluginsCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "plugins";

    /// <inheritdoc />
    public string Usage => "pipeline plugins [--json] [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["json", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Flag("json"))
        {
            var document = new
            {
                plugins = catalog.Plugins.Select(p => new
                {
                    kind = p.Kind.ToString().ToLowerInvariant(),
                    name = p.Name,
                    version = p.Version,
                    assembly = p.AssemblyPath,
                    description = p.Description,
                }),
                failures = catalog.Failures.Select(f => new { path = f.Path, reason = f.Reason }),
            };
            output.Out.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            return Task.FromResult(0);
        }

        var rows = catalog.Plugins.Select(p => new[]
            { p.Kind.ToString().ToLowerInvariant(), p.Name, p.Version, Path.GetFileName(p.AssemblyPath), p.Description }).ToList();
        string[] header = ["KIND", "NAME", "VERSION", "ASSEMBLY", "DESCRIPTION"];
        int[] widths = Enumerable.Range(0, 4).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        string Format(string[] r) => string.Join("  ", r.Take(4).Select((cell, i) => cell.PadRight(widths[i]))) + "  " + r[4];
        output.Out.WriteLine(Format(header));
        foreach (var row in rows) output.Out.WriteLine(Format(row));
        foreach (var failure in catalog.Failures)
            output.Error.WriteLine($"warning: plugin not loaded: {failure.Path}: {failure.Reason}");
        return Task.FromResult(0);
    }
}
