using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Copies a name-to-tensor map into a module's parameters and buffers after checking every key and every shape
/// itself. Nothing is copied unless everything matches, and one error lists every problem at once. (PyBridge's
/// non-strict load accepts wrong shapes silently, so it is never used for this.)
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="stateDict"/> into <paramref name="module"/>: the key sets must be identical and every
    /// shape equal (a 0-d tensor and a one-element 1-d tensor count as equal, because PyBridge's unpickler returns
    /// PyTorch's scalar buffers with shape [1]). Values are copied in place under no_grad, converting dtype and
    /// device to the module's.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="stateDict">The tensors, by state_dict key.</param>
    /// <param name="source">Where the tensors came from (a path), used in the error message.</param>
    /// <exception cref="InvalidDataException">
    /// Keys are missing or unexpected, or shapes differ; the message lists every such key with the expected and the
    /// found shape.
    /// </exception>
    public static void LoadStrict(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var targets = module.state_dict();

        var missing = targets.Keys.Where(key => !stateDict.ContainsKey(key)).ToList();
        var unexpected = stateDict.Keys.Where(key => !targets.ContainsKey(key)).OrderBy(key => key, StringComparer.Ordinal).ToList();
        var mismatched = targets
            .Where(target => stateDict.TryGetValue(target.Key, out var value) && !ShapesMatch(target.Value.shape, value.shape))
            .Select(target => (target.Key, Expected: target.Value.shape, Found: stateDict[target.Key].shape))
            .ToList();

        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var message = new StringBuilder();
            message.Append($"Cannot load '{source}' into {module.GetName()}: the state_dict does not match the model.");
            if (missing.Count > 0)
            {
                message.Append($"\n  {missing.Count} missing key(s) (in the model, not in the file):");
                foreach (var key in missing) message.Append($"\n    {key} {Format(targets[key].shape)}");
            }
            if (unexpected.Count > 0)
            {
                message.Append($"\n  {unexpected.Count} unexpected key(s) (in the file, not in the model):");
                foreach (var key in unexpected) message.Append($"\n    {key} {Format(stateDict[key].shape)}");
            }
            if (mismatched.Count > 0)
            {
                message.Append($"\n  {mismatched.Count} shape mismatch(es):");
                foreach (var (key, expected, found) in mismatched)
                    message.Append($"\n    {key}: model expects {Format(expected)}, file has {Format(found)}");
            }
            throw new InvalidDataException(message.ToString());
        }

        using (no_grad())
        {
            foreach (var (key, target) in targets)
            {
                var value = stateDict[key];
                if (value.shape.SequenceEqual(target.shape))
                {
                    target.copy_(value);
                }
                else
                {
                    using var reshaped = value.reshape(target.shape);
                    target.copy_(reshaped);
                }
            }
        }
    }

    private static bool ShapesMatch(long[] expected, long[] found) =>
        expected.SequenceEqual(found) || (IsSingleElement(expected) && IsSingleElement(found) && (expected.Length == 0 || found.Length == 0));

    private static bool IsSingleElement(long[] shape) => shape.All(extent => extent == 1);

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
