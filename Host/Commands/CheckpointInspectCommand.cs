using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Cli.Cli;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline checkpoint inspect FILE [--json] [--limit N]</c>: the file's format (pipeline .ckpt, torch.save
/// state_dict, nested torch.save checkpoint, safetensors), for a .ckpt its model description, then the entry count,
/// total elements and each key's shape and dtype (the first <c>--limit</c> keys as text, all with <c>--json</c>).
/// </summary>
public sealed class CheckpointInspectCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    private const int DefaultLimit = 20;

    /// <inheritdoc />
    public string Name => "checkpoint inspect";

    /// <inheritdoc />
    public string Usage => "pipeline checkpoint inspect FILE [--json] [--limit N] [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["json", "limit", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        string file = CheckpointArguments.InputFile(line, Usage);
        int limit = line.Value("limit") is { } text
            ? int.TryParse(text, out int n) && n >= 0 ? n : throw new CommandLineException($"--limit must be a non-negative integer, not '{text}'.")
            : DefaultLimit;

        using var scope = NewDisposeScope();
        var (format, description, tensors) = CheckpointArguments.Guard(() => Read(file));
        long elements = tensors.Sum(item => item.Value.numel());

        if (line.Flag("json"))
        {
            var document = new JsonObject
            {
                ["file"] = file,
                ["format"] = FormatName(format),
                ["description"] = description is null ? null : JsonSerializer.SerializeToNode(description, ModelCheckpoint.OptionsJson),
                ["entries"] = tensors.Count,
                ["elements"] = elements,
                ["tensors"] = new JsonArray(tensors.Select(item => (JsonNode)new JsonObject
                {
                    ["key"] = item.Key,
                    ["shape"] = new JsonArray(item.Value.shape.Select(extent => (JsonNode?)JsonValue.Create(extent)).ToArray()),
                    ["dtype"] = DTypeName(item.Value.dtype),
                }).ToArray()),
            };
            output.Out.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return Task.FromResult(0);
        }

        output.Out.WriteLine($"file       {file}");
        output.Out.WriteLine($"format     {FormatName(format)}");
        if (description is not null)
        {
            output.Out.WriteLine($"backbone   {description.Backbone} {JsonSerializer.Serialize(description.BackboneOptions)}");
            output.Out.WriteLine($"prior      {description.Prior} {JsonSerializer.Serialize(description.PriorOptions)}");
            output.Out.WriteLine($"folded     {(description.PriorFolded ? "yes" : "no")}");
        }
        output.Out.WriteLine($"entries    {tensors.Count:N0}");
        output.Out.WriteLine($"elements   {elements:N0}");
        int width = tensors.Take(limit).Select(item => item.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var (key, value) in tensors.Take(limit))
            output.Out.WriteLine($"  {key.PadRight(width)}  [{string.Join(", ", value.shape)}]  {DTypeName(value.dtype)}");
        if (tensors.Count > limit)
            output.Out.WriteLine($"  ... {tensors.Count - limit:N0} more (--limit N or --json to see them)");
        return Task.FromResult(0);
    }

    private (CheckpointFormat Format, ModelDescription? Description, List<KeyValuePair<string, Tensor>> Tensors) Read(string file)
    {
        var format = CheckpointFormatDetector.Detect(file);
        if (format == CheckpointFormat.PipelineCheckpoint)
        {
            var network = ModelFactory.LoadCheckpoint(catalog, file, CPU, out var description);
            return (format, description, network.state_dict().ToList());
        }
        var foreign = ForeignStateDict.Read(file);
        return (foreign.Format, null, foreign.Tensors.ToList());
    }

    /// <summary>The name a format is shown under.</summary>
    public static string FormatName(CheckpointFormat format) => format switch
    {
        CheckpointFormat.PipelineCheckpoint => "pipeline .ckpt",
        CheckpointFormat.TorchStateDict => "torch.save state_dict (zip)",
        CheckpointFormat.TorchNestedCheckpoint => "torch.save checkpoint with a nested state_dict (zip)",
        CheckpointFormat.Safetensors => "safetensors",
        _ => format.ToString(),
    };

    private static string DTypeName(ScalarType type) => type.ToString().ToLowerInvariant();
}
