using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Reads a PyTorch <c>torch.save</c> file (zip format, the default since PyTorch 1.6) holding a state_dict, either
/// directly or nested as <c>{"state_dict": {...}, ...}</c> (the usual training checkpoint; <c>"model"</c> and
/// <c>"model_state_dict"</c> are accepted too). Before anything is unpickled, <see cref="PickleGlobalGuard"/> rejects a
/// pickle that names any Python global a state_dict does not need. Unpickling goes through TorchSharp.PyBridge;
/// shapes are not checked here (see <see cref="StateDictLoader"/>).
/// </summary>
public static class PyTorchStateDictReader
{
    /// <summary>The key under which training checkpoints nest the state_dict.</summary>
    public const string NestedStateDictKey = "state_dict";

    /// <summary>Every key under which a checkpoint may nest its state_dict, tried in this order.</summary>
    public static readonly IReadOnlyList<string> NestedStateDictKeys = [NestedStateDictKey, "model_state_dict", "model"];

    /// <summary>Reads the state_dict stored in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a zip-format <c>torch.save</c> file, or holds something other than a state_dict; the message
    /// names the file.
    /// </exception>
    public static Dictionary<string, Tensor> Read(string path) => ExtractStateDict(ReadRoot(path), Path.GetFullPath(path));

    /// <summary>
    /// True when an unpickled <paramref name="root"/> is a training checkpoint with the state_dict under one of
    /// <see cref="NestedStateDictKeys"/> rather than the state_dict itself.
    /// </summary>
    public static bool IsNested(Hashtable root) => NestedStateDictKeys.Any(key => root[key] is Hashtable);

    /// <summary>Unpickles the root object of a zip-format torch.save file after <see cref="PickleGlobalGuard"/> accepted it.</summary>
    /// <exception cref="InvalidDataException">Not a zip-format torch.save file, or a rejected pickle.</exception>
    public static Hashtable ReadRoot(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"PyTorch checkpoint '{path}' does not exist.", path);
        try
        {
            CheckPickle(path);
            using var stream = File.OpenRead(path);
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception error) when (error is NotImplementedException or InvalidCastException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException(
                $"'{path}' could not be read as a zip-format torch.save state_dict ({error.GetType().Name}: {error.Message}). " +
                "Legacy (non-zip) files must be re-saved with a current torch.save; whole pickled models must be saved as model.state_dict().",
                error);
        }
    }

    /// <summary>Runs <see cref="PickleGlobalGuard"/> over the pickle inside the zip archive at <paramref name="path"/>.</summary>
    private static void CheckPickle(string path)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException(
                $"'{path}' is not a zip archive, so not a zip-format torch.save file. " +
                "Legacy (non-zip) files must be re-saved with a current torch.save.", error);
        }
        using (archive)
        {
            var pickles = archive.Entries.Where(entry => entry.FullName == "data.pkl" || entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).ToList();
            if (pickles.Count != 1)
                throw new InvalidDataException($"'{path}': expected one data.pkl in the zip archive, found {pickles.Count}.");
            using var stream = pickles[0].Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            PickleGlobalGuard.Check(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), $"{path}:{pickles[0].FullName}");
        }
    }

    /// <summary>
    /// The name-to-tensor map inside an unpickled <paramref name="root"/>: the root itself when every value is a
    /// tensor, or the map under <see cref="NestedStateDictKey"/>.
    /// </summary>
    /// <param name="root">What the unpickler returned for the file.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    public static Dictionary<string, Tensor> ExtractStateDict(Hashtable root, string source)
    {
        var map = root;
        string? nestedKey = NestedStateDictKeys.FirstOrDefault(key => root[key] is Hashtable);
        if (nestedKey is not null)
            map = (Hashtable)root[nestedKey]!;
        else if (root.ContainsKey(NestedStateDictKey))
            throw new InvalidDataException($"'{source}': '{NestedStateDictKey}' is not a name-to-tensor map.");

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var notTensors = new List<string>();
        foreach (DictionaryEntry item in map)
        {
            if (item.Key is string name && item.Value is Tensor value)
                tensors.Add(name, value);
            else
                notTensors.Add($"{item.Key} ({item.Value?.GetType().Name ?? "null"})");
        }
        if (notTensors.Count > 0)
            throw new InvalidDataException(
                $"'{source}' is not a state_dict: {notTensors.Count} entr{(notTensors.Count == 1 ? "y is" : "ies are")} not tensors: " +
                $"{string.Join(", ", notTensors.OrderBy(s => s, StringComparer.Ordinal).Take(10))}" +
                $"{(notTensors.Count > 10 ? ", ..." : "")}. A training checkpoint must keep its weights under '{NestedStateDictKey}'.");
        if (tensors.Count == 0)
            throw new InvalidDataException($"'{source}' holds no tensors.");
        return tensors;
    }
}
