using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.IO;
using TorchSharp;

namespace Pipeline.Core.Engine;

/// <summary>What a checkpoint says about the network it holds, enough to rebuild it without the manifest.</summary>
public sealed class ModelDescription
{
    /// <summary>Backbone plugin name.</summary>
    public required string Backbone { get; init; }

    /// <summary>Backbone options as JSON (snake_case keys), bound by the plugin's own options type on load.</summary>
    public required JsonElement BackboneOptions { get; init; }

    /// <summary>Prior plugin name.</summary>
    public required string Prior { get; init; }

    /// <summary>Prior options as JSON.</summary>
    public required JsonElement PriorOptions { get; init; }

    /// <summary>True when the prior has been folded away (the weights are a plain network).</summary>
    public bool PriorFolded { get; init; }
}

/// <summary>
/// A self-describing model checkpoint in one file: a magic line, a length-prefixed JSON <see cref="ModelDescription"/>,
/// then the weights in TorchSharp's format. Written atomically (temp file, then rename).
/// </summary>
public static class ModelCheckpoint
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("PIPELINE-MODEL-1\n");

    /// <summary>JSON settings for option objects: snake_case keys and enum names, as in YAML.</summary>
    public static readonly JsonSerializerOptions OptionsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="module"/>'s weights and <paramref name="description"/> to <paramref name="path"/>.</summary>
    public static void Save(torch.nn.Module module, ModelDescription description, string path) =>
        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            using var writer = new BinaryWriter(stream);
            byte[] header = JsonSerializer.SerializeToUtf8Bytes(description, OptionsJson);
            writer.Write(Magic);
            writer.Write(header.Length);
            writer.Write(header);
            module.save(writer);
        });

    /// <summary>Reads only the description of the checkpoint at <paramref name="path"/>.</summary>
    public static ModelDescription ReadDescription(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads the weights of <paramref name="path"/> into <paramref name="module"/> (strict: keys and shapes must match).</summary>
    public static void LoadWeights(torch.nn.Module module, string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        ReadHeader(reader, path);
        try
        {
            module.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: the weights do not fit the network the checkpoint describes: {e.Message}", e);
        }
    }

    private static ModelDescription ReadHeader(BinaryReader reader, string path)
    {
        byte[] magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a pipeline model checkpoint (expected it to start with '{Encoding.ASCII.GetString(Magic).TrimEnd()}').");
        int length = reader.ReadInt32();
        if (length <= 0 || length > 16 << 20)
            throw new InvalidDataException($"{path}: corrupt checkpoint header (length {length}).");
        byte[] header = reader.ReadBytes(length);
        if (header.Length != length) throw new InvalidDataException($"{path}: truncated checkpoint header.");
        return JsonSerializer.Deserialize<ModelDescription>(header, OptionsJson)
               ?? throw new InvalidDataException($"{path}: empty checkpoint header.");
    }
}
