using System.Text.Json;
using Pipeline.Cli.Cli;
using Pipeline.Core.Composition;
using Pipeline.Core.Manifest;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline model info --backbone NAME [--set k=v]... [--json]</c>: builds the backbone with the given options and
/// reports parameters, trainable parameters, buffer elements and parameters per top-level module.
/// </summary>
public sealed class ModelInfoCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "model info";

    /// <inheritdoc />
    public string Usage => "pipeline model info --backbone NAME [--set key=value]... [--json] [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["backbone", "set", "json", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string name = line.Value("backbone") ?? throw new CommandLineException($"--backbone is required. Usage: {Usage}");
        IBackbone backbone;
        object options;
        try
        {
            backbone = (IBackbone)catalog.Get(PluginKind.Backbone, name);
            options = OverrideOptions.Bind(backbone.OptionsType, line.All("set"), "--set");
        }
        catch (Exception e) when (e is UnknownPluginException or ManifestException)
        {
            throw new UserFacingException(e.Message, e);
        }

        using SegmentationNetwork network = backbone.Build(options);
        ModelSummary summary = ModelSummary.Of(network);
        if (line.Flag("json"))
        {
            var document = new Dictionary<string, object>
            {
                ["backbone"] = name,
                ["parameters"] = summary.Parameters,
                ["trainable_parameters"] = summary.TrainableParameters,
                ["buffers"] = summary.Buffers,
                ["modules"] = summary.Modules.ToDictionary(m => m.Name, m => m.Parameters),
            };
            output.Out.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            return Task.FromResult(0);
        }
        output.Out.WriteLine($"backbone              {name}");
        output.Out.WriteLine($"parameters            {summary.Parameters:N0}");
        output.Out.WriteLine($"trainable parameters  {summary.TrainableParameters:N0}");
        output.Out.WriteLine($"buffer elements       {summary.Buffers:N0}");
        output.Out.WriteLine("per module:");
        foreach (var (module, count) in summary.Modules) output.Out.WriteLine($"  {module,-20} {count,14:N0}");
        return Task.FromResult(0);
    }
}
