using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.IO;
using TorchSharp;

namespace Pipeline.Core.Engine;

/// <summary>What a checkpoint says about the network it holds, enough to rebuild it without the manifest.</summary>
public sealed record ModelDescription
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

    /// <summary>
    /// Where training stood when the checkpoint was written (stage-defined JSON, e.g. the train stage's iteration and
    /// validation history); absent from checkpoints not written by a training stage.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Training { get; init; }
}

/// <summary>
/// A self-describing model checkpoint in one file: a magic line, a length-prefixed JSON <see cref="ModelDescription"/>,
/// then the weights in TorchSharp's format, and optionally a training-state section (a second magic line, then bytes
/// the training stage writes: optimizer state, generator states). Readers of the model stop after the weights, so the
/// section is invisible to them. Written atomically (temp file, then rename): weights and training state always belong
/// to the same moment, which is what an exact resume needs.
/// </summary>
public static class ModelCheckpoint
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("PIPELINE-MODEL-1\n");
    private static readonly byte[] TrainingStateMagic = Encoding.ASCII.GetBytes("PIPELINE-TRAINING-STATE-1\n");

    /// <summary>JSON settings for option objects: snake_case keys and enum names, as in YAML.</summary>
    public static readonly JsonSerializerOptions OptionsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="module"/>'s weights and <paramref name="description"/> to <paramref name="path"/>.</summary>
    /// <param name="module">The network.</param>
    /// <param name="description">How to rebuild it (and, for training checkpoints, where training stood).</param>
    /// <param name="path">The file, replaced atomically.</param>
    /// <param name="writeTrainingState">When given, writes the training-state section after the weights.</param>
    public static void Save(torch.nn.Module module, ModelDescription description, string path,
                            Action<BinaryWriter>? writeTrainingState = null) =>
        AtomicFile.Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                byte[] header = JsonSerializer.SerializeToUtf8Bytes(description, OptionsJson);
                writer.Write(Magic);
                writer.Write(header.Length);
                writer.Write(header);
                module.save(writer);
                if (writeTrainingState is not null)
                {
                    writer.Write(TrainingStateMagic);
                    writeTrainingState(writer);
                }
            }
            // On disk before the rename, so a crash right after it cannot leave a renamed but empty checkpoint.
            stream.Flush(flushToDisk: true);
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

    /// <summary>
    /// Loads the weights of <paramref name="path"/> into <paramref name="module"/>, then hands the reader, positioned at
    /// the training-state section, to <paramref name="readTrainingState"/> together with the description.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, its weights do not fit, or it has no training-state section.</exception>
    public static ModelDescription LoadWithTrainingState(torch.nn.Module module, string path,
                                                         Action<ModelDescription, BinaryReader> readTrainingState)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var description = ReadHeader(reader, path);
        try
        {
            module.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: the weights do not fit the network being restored: {e.Message}", e);
        }
        byte[] magic = reader.ReadBytes(TrainingStateMagic.Length);
        if (!magic.AsSpan().SequenceEqual(TrainingStateMagic))
            throw new InvalidDataException($"{path}: the checkpoint holds no training state (only weights), so training cannot resume from it.");
        try
        {
            readTrainingState(description, reader);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the training state is truncated.", e);
        }
        return description;
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
