using Pipeline.Cli.Cli;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Composition;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline checkpoint export FILE --format pt|safetensors --out FILE</c>: writes the deploy weights of a pipeline
/// .ckpt under the original model's key names, as a zip-format torch.save state_dict or a safetensors file. An
/// unfolded prior is folded first.
/// </summary>
public sealed class CheckpointExportCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "checkpoint export";

    /// <inheritdoc />
    public string Usage => "pipeline checkpoint export FILE --format pt|safetensors --out FILE [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["format", "out", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string input = CheckpointArguments.InputFile(line, Usage);
        string outFile = CheckpointArguments.OutputFile(line, input, Usage);
        var format = line.Value("format") switch
        {
            "pt" => CheckpointFormat.TorchStateDict,
            "safetensors" => CheckpointFormat.Safetensors,
            null => throw new CommandLineException($"--format is required. Usage: {Usage}"),
            var other => throw new CommandLineException($"--format must be pt or safetensors, not '{other}'."),
        };

        using var scope = NewDisposeScope();
        var (entries, folded) = CheckpointArguments.Guard(() =>
        {
            RequirePipelineCheckpoint(input);
            bool wasFolded = Core.Engine.ModelCheckpoint.ReadDescription(input).PriorFolded;
            var (network, _) = CheckpointConversion.LoadFolded(catalog, input);
            using (network)
            {
                CheckpointConversion.Export(network, format, outFile);
                return (network.state_dict().Count, !wasFolded);
            }
        });
        output.Out.WriteLine($"exported {entries:N0} tensors{(folded ? " (prior folded first)" : "")} to {outFile} ({CheckpointInspectCommand.FormatName(format)})");
        return Task.FromResult(0);
    }

    /// <summary>Fails with a clear message when <paramref name="input"/> is not a pipeline .ckpt.</summary>
    internal static void RequirePipelineCheckpoint(string input)
    {
        var found = CheckpointFormatDetector.Detect(input);
        if (found != CheckpointFormat.PipelineCheckpoint)
            throw new InvalidDataException(
                $"'{input}' is a {CheckpointInspectCommand.FormatName(found)}, but a pipeline .ckpt was expected (use 'checkpoint import' first).");
    }
}
