using Pipeline.Cli.Cli;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline checkpoint fold FILE --out FILE</c>: folds the weight prior of a pipeline .ckpt into plain layers
/// (same outputs, the original model's deploy keys) and writes a folded .ckpt. An already folded file is copied as is.
/// </summary>
public sealed class CheckpointFoldCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "checkpoint fold";

    /// <inheritdoc />
    public string Usage => "pipeline checkpoint fold FILE --out FILE [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["out", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string input = CheckpointArguments.InputFile(line, Usage);
        string outFile = CheckpointArguments.OutputFile(line, input, Usage);

        using var scope = NewDisposeScope();
        var (prior, wasFolded) = CheckpointArguments.Guard(() =>
        {
            CheckpointExportCommand.RequirePipelineCheckpoint(input);
            bool folded = ModelCheckpoint.ReadDescription(input).PriorFolded;
            var (network, description) = CheckpointConversion.LoadFolded(catalog, input);
            using (network)
                ModelCheckpoint.Save(network, description, outFile);
            return (description.Prior, folded);
        });
        output.Out.WriteLine(wasFolded
            ? $"{input} was already folded; wrote {outFile}"
            : $"folded prior '{prior}' of {input}; wrote {outFile}");
        return Task.FromResult(0);
    }
}
