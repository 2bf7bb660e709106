using System.Text;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Loads a trained model's state_dict into a new model that predicts another set of classes, the way fine-tuning does
/// (the paper's FLARE → AMOS setting: load the FLARE weights, then replace the output block): every tensor is copied
/// by name and shape, except the output head, which keeps the new model's fresh initialisation.
/// <para>The head is either given as key prefixes (e.g. <c>out.</c>), or found from the shapes: a tensor present in
/// both whose shape differs only along axes where the new model has exactly its class count (a head's weight
/// [classes, width, 1, 1, 1] and bias [classes]). With equal class counts no tensor differs, so nothing is
/// re-initialised unless prefixes are given. Anything else that does not match (missing or unexpected keys, other
/// shape differences) is an error that lists every such key, because silently skipping it would fine-tune a
/// different network than the one asked for.</para>
/// </summary>
public static class HeadReplacement
{
    /// <summary>How <see cref="HeadReplacementPlan.HeadFound"/> reads when prefixes were given.</summary>
    public const string FoundByPrefixes = "head_prefixes";

    /// <summary>How <see cref="HeadReplacementPlan.HeadFound"/> reads when the shapes told.</summary>
    public const string FoundByShapes = "class-count shapes";

    /// <summary>Works out which tensors of <paramref name="target"/> come from <paramref name="source"/>.</summary>
    /// <param name="source">The trained model's tensors by state_dict key.</param>
    /// <param name="target">The new model's state_dict.</param>
    /// <param name="headPrefixes">Key prefixes of the head; empty to find it by the class-count rule.</param>
    /// <param name="targetClasses">The new model's class count.</param>
    /// <param name="sourceName">The source (a path), for messages.</param>
    /// <exception cref="InvalidDataException">Tensors other than the head do not match; the message lists every one.</exception>
    /// <exception cref="ArgumentException">A head prefix matches no tensor of the new model.</exception>
    public static HeadReplacementPlan Plan(IReadOnlyDictionary<string, Tensor> source, IReadOnlyDictionary<string, Tensor> target,
                                           IReadOnlyList<string> headPrefixes, int targetClasses, string sourceName)
    {
        foreach (var prefix in headPrefixes)
            if (!target.Keys.Any(key => key.StartsWith(prefix, StringComparison.Ordinal)))
                throw new ArgumentException(
                    $"head_prefixes: '{prefix}' matches no tensor of the new model; its top-level names are " +
                    string.Join(", ", target.Keys.Select(TopLevel).Distinct()) + ".", nameof(headPrefixes));

        bool byPrefix = headPrefixes.Count > 0;
        bool IsHead(string key) => byPrefix
            ? headPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal))
            : source.TryGetValue(key, out var value) && DiffersOnlyInClassAxes(target[key].shape, value.shape, targetClasses);

        var head = target.Keys.Where(IsHead)
            .Select(key => new ReplacedHeadTensor(key, target[key].shape, source.TryGetValue(key, out var value) ? value.shape : null))
            .ToList();
        var headKeys = head.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        var missing = target.Keys.Where(key => !headKeys.Contains(key) && !source.ContainsKey(key)).ToList();
        var unexpected = source.Keys
            .Where(key => !target.ContainsKey(key) && !(byPrefix && headPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal))))
            .Order(StringComparer.Ordinal).ToList();
        var mismatched = target.Keys
            .Where(key => !headKeys.Contains(key) && source.TryGetValue(key, out var value) && !ShapesMatch(target[key].shape, value.shape))
            .ToList();

        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var message = new StringBuilder($"Cannot fine-tune from '{sourceName}': apart from the output head, its tensors do not match the new model.");
            message.Append(head.Count == 0
                ? byPrefix ? "" : " No head was found by the class-count rule."
                : $" Head ({(byPrefix ? FoundByPrefixes : FoundByShapes)}): {string.Join(", ", head.Select(h => h.Key))}.");
            if (missing.Count > 0)
            {
                message.Append($"\n  {missing.Count} key(s) of the new model missing from the source:");
                foreach (var key in missing) message.Append($"\n    {key} {Format(target[key].shape)}");
            }
            if (unexpected.Count > 0)
            {
                message.Append($"\n  {unexpected.Count} key(s) of the source that the new model does not have:");
                foreach (var key in unexpected) message.Append($"\n    {key} {Format(source[key].shape)}");
            }
            if (mismatched.Count > 0)
            {
                message.Append($"\n  {mismatched.Count} shape mismatch(es):");
                foreach (var key in mismatched)
                    message.Append($"\n    {key}: new model {Format(target[key].shape)}, source {Format(source[key].shape)}");
            }
            message.Append("\nThe backbone options (other than the class count) must equal the source model's; if the listed tensors " +
                           "belong to the output head, list their prefixes in head_prefixes.");
            throw new InvalidDataException(message.ToString());
        }
        var loaded = target.Keys.Where(key => !headKeys.Contains(key)).ToList();
        return new HeadReplacementPlan(loaded, head, byPrefix ? FoundByPrefixes : FoundByShapes);
    }

    /// <summary>Copies the planned tensors of <paramref name="source"/> into <paramref name="target"/> in place (dtype and device converted).</summary>
    /// <param name="target">The new model.</param>
    /// <param name="source">The tensors <paramref name="plan"/> was made from.</param>
    /// <param name="plan">What to copy.</param>
    public static void Apply(nn.Module target, IReadOnlyDictionary<string, Tensor> source, HeadReplacementPlan plan)
    {
        var tensors = target.state_dict();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var key in plan.LoadedKeys)
        {
            var destination = tensors[key];
            var value = source[key];
            destination.copy_(value.shape.SequenceEqual(destination.shape) ? value : value.reshape(destination.shape));
        }
    }

    /// <summary>
    /// True when the shapes have the same rank and differ, and differ only along axes where the new model's extent is
    /// its class count.
    /// </summary>
    private static bool DiffersOnlyInClassAxes(long[] target, long[] source, int targetClasses) =>
        target.Length == source.Length && !target.SequenceEqual(source) &&
        target.Zip(source).All(pair => pair.First == pair.Second || pair.First == targetClasses);

    // PyTorch files hold scalar buffers (num_batches_tracked) as 0-d tensors that PyBridge reads as [1].
    private static bool ShapesMatch(long[] expected, long[] found) =>
        expected.SequenceEqual(found) ||
        (expected.All(extent => extent == 1) && found.All(extent => extent == 1) && (expected.Length == 0 || found.Length == 0));

    private static string TopLevel(string key) => key.Split('.')[0] + ".";

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
