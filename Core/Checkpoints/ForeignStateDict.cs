using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>A state_dict read from a PyTorch or safetensors file, with the format it was found in.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Format">What the file turned out to be.</param>
/// <param name="Tensors">
/// The tensors by their keys in the file: safetensors in header order; torch.save files sorted by key, because the
/// unpickler returns an unordered map (PyTorch's load_state_dict does not depend on the order).
/// </param>
public sealed record ForeignStateDict(string Path, CheckpointFormat Format, Dictionary<string, Tensor> Tensors)
{
    /// <summary>
    /// Reads the state_dict in <paramref name="path"/>: a zip-format <c>torch.save</c> file (flat or nested under
    /// <see cref="PyTorchStateDictReader.NestedStateDictKeys"/>) or a safetensors file, told apart by content, not
    /// by extension.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// Neither format, a pipeline <c>.ckpt</c> (which is not a foreign state_dict), or a malformed file; the message
    /// names the file and what was expected.
    /// </exception>
    public static ForeignStateDict Read(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var format = CheckpointFormatDetector.Detect(path);
        switch (format)
        {
            case CheckpointFormat.Safetensors:
                return new ForeignStateDict(path, format, SafetensorsFile.Read(path));
            case CheckpointFormat.TorchStateDict or CheckpointFormat.TorchNestedCheckpoint:
                var root = PyTorchStateDictReader.ReadRoot(path);
                return new ForeignStateDict(
                    path,
                    PyTorchStateDictReader.IsNested(root) ? CheckpointFormat.TorchNestedCheckpoint : CheckpointFormat.TorchStateDict,
                    PyTorchStateDictReader.ExtractStateDict(root, path)
                        .OrderBy(item => item.Key, StringComparer.Ordinal)
                        .ToDictionary(item => item.Key, item => item.Value, StringComparer.Ordinal));
            default:
                throw new InvalidDataException(
                    $"'{path}' is a pipeline .ckpt, not a PyTorch or safetensors state_dict; use it directly, or export it first.");
        }
    }
}
