using Pipeline.Cli.Cli;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Core.Manifest;
using Pipeline.Core.Plugins;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline checkpoint import FILE --backbone NAME [--set k=v]... [--strip-prefix P] [--add-prefix P] --out FILE</c>:
/// builds the backbone, strictly loads the foreign state_dict (torch.save, flat or nested, or safetensors) into it
/// and writes a pipeline .ckpt with prior <c>none</c>, folded (imported weights are deploy weights). A leading
/// <c>module.</c> on every key (DataParallel) is removed automatically.
/// </summary>
public sealed class CheckpointImportCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "checkpoint import";

    /// <inheritdoc />
    public string Usage =>
        "pipeline checkpoint import FILE --backbone NAME [--set key=value]... [--strip-prefix P] [--add-prefix P] --out FILE [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["backbone", "set", "strip-prefix", "add-prefix", "out", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string input = CheckpointArguments.InputFile(line, Usage);
        string outFile = CheckpointArguments.OutputFile(line, input, Usage);
        string backboneName = line.Value("backbone") ?? throw new CommandLineException($"--backbone is required. Usage: {Usage}");
        var mapping = new StateDictKeyMapping(line.Value("strip-prefix"), line.Value("add-prefix"));

        using var scope = NewDisposeScope();
        var (format, entries) = CheckpointArguments.Guard(() =>
        {
            var backbone = (IBackbone)catalog.Get(PluginKind.Backbone, backboneName);
            object options = OverrideOptions.Bind(backbone.OptionsType, line.All("set"), "--set");
            var source = ForeignStateDict.Read(input);
            var (network, description) = CheckpointConversion.Import(catalog, backboneName, options, source, mapping);
            using (network)
                ModelCheckpoint.Save(network, description, outFile);
            return (source.Format, source.Tensors.Count);
        });
        output.Out.WriteLine(
            $"imported {entries:N0} tensors from {input} ({CheckpointInspectCommand.FormatName(format)}) into {backboneName}; wrote {outFile}");
        return Task.FromResult(0);
    }
}
