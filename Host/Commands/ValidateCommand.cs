using Pipeline.Cli.Cli;
using Pipeline.Core.Composition;
using Pipeline.Core.Manifest;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline validate FILE [--set k=v]...</c>: checks the manifest and everything it references (plugins, options,
/// dataset and stage references) without training. Exit 0 when valid; 2 with every error otherwise.
/// </summary>
public sealed class ValidateCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "validate";

    /// <inheritdoc />
    public string Usage => "pipeline validate FILE [--set key.path=value]... [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["set", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string file = ManifestArgument.Require(line, Usage);
        PipelineManifest manifest = ManifestArgument.Load(file, line.All("set"), catalog, output);
        output.Out.WriteLine($"valid: {file}: pipeline '{manifest.Name}', {manifest.Datasets.Count} dataset(s), " +
                             $"model {manifest.Model.Plugin}, prior {manifest.Prior.Plugin}, stages {string.Join(" -> ", manifest.Stages.Select(s => s.Name))}");
        return Task.FromResult(0);
    }
}
