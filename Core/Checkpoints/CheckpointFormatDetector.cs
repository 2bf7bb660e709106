using Pipeline.Core.Engine;

namespace Pipeline.Core.Checkpoints;

/// <summary>Tells the weight file formats apart by their first bytes (extensions are not trusted).</summary>
public static class CheckpointFormatDetector
{
    /// <summary>
    /// The format of the file at <paramref name="path"/>. A zip archive is reported as
    /// <see cref="CheckpointFormat.TorchStateDict"/>; whether it nests the state_dict is only known after unpickling
    /// (see <see cref="ForeignStateDict.Read"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">None of the known formats; the message names the file and lists them.</exception>
    public static CheckpointFormat Detect(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);

        Span<byte> start = stackalloc byte[4];
        int read;
        using (var stream = File.OpenRead(path))
            read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        if (read == 4 && start[0] == (byte)'P' && start[1] == (byte)'K' && start[2] == 3 && start[3] == 4)
            return CheckpointFormat.TorchStateDict;
        if (SafetensorsFile.LooksLikeSafetensors(path))
            return CheckpointFormat.Safetensors;
        if (IsPipelineCheckpoint(path))
            return CheckpointFormat.PipelineCheckpoint;
        throw new InvalidDataException(
            $"'{path}' is not a known weight file: expected a pipeline .ckpt, a zip-format torch.save file (.pt/.pth) " +
            "or a safetensors file. Legacy (non-zip) torch.save files must be re-saved with a current torch.save.");
    }

    private static bool IsPipelineCheckpoint(string path)
    {
        try
        {
            ModelCheckpoint.ReadDescription(path);
            return true;
        }
        catch (Exception error) when (error is InvalidDataException or EndOfStreamException or System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
