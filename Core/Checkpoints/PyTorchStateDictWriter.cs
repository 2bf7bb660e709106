using Pipeline.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Writes a state_dict as PyTorch's zip-format <c>torch.save</c> file (what <c>torch.save(model.state_dict(), f)</c>
/// produces), through TorchSharp.PyBridge's pickler, so that <c>torch.load</c> + <c>load_state_dict</c> accept it.
/// </summary>
public static class PyTorchStateDictWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (in enumeration order, names unchanged) to <paramref name="path"/> atomically;
    /// tensors are copied to the CPU and made contiguous.
    /// </summary>
    public static void Write(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path)
    {
        using var scope = NewDisposeScope();
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in tensors)
            stateDict.Add(name, value.detach().cpu().contiguous());
        AtomicFile.Write(path, temporary =>
        {
            // The pickler closes the stream it writes, so the file is reopened to force it to disk before the rename.
            PyTorchPickler.PickleStateDict(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None), stateDict);
            using var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            written.Flush(flushToDisk: true);
        });
    }
}
