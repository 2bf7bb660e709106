using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Flip test-time augmentation as nnU-Net v2 does it (<c>_internal_maybe_mirror_and_predict</c>): the network sees the
/// window as is and flipped along every non-empty subset of the mirror axes; each output is flipped back and the
/// <b>logits</b> are averaged (not probabilities). With all three spatial axes that is 8 passes. Applied per window,
/// before blending, so window placement is the same as without augmentation.
/// </summary>
public static class MirroredPrediction
{
    /// <summary>
    /// The flips, in nnU-Net's order: none first, then the subsets of <paramref name="spatialAxes"/> by size and, within a
    /// size, in the order <c>itertools.combinations</c> yields them (e.g. [], [0], [1], [2], [0,1], [0,2], [1,2], [0,1,2]).
    /// </summary>
    /// <param name="spatialAxes">Distinct spatial axes (0 = d, 1 = h, 2 = w).</param>
    public static IReadOnlyList<int[]> Flips(IReadOnlyList<int> spatialAxes)
    {
        var flips = new List<int[]> { Array.Empty<int>() };
        for (int size = 1; size <= spatialAxes.Count; size++)
            flips.AddRange(Combinations(spatialAxes, size, 0));
        return flips;
    }

    /// <summary>
    /// Wraps <paramref name="network"/> (windows [B, C, d, h, w] → [B, C_out, d, h, w]) so that it returns the average of its
    /// logits over <see cref="Flips"/>. Returns <paramref name="network"/> itself when there are no mirror axes. Each pass
    /// runs in its own dispose scope, so only the running sum outlives it.
    /// </summary>
    public static Func<Tensor, Tensor> Wrap(Func<Tensor, Tensor> network, IReadOnlyList<int> spatialAxes)
    {
        if (spatialAxes.Count == 0) return network;
        if (spatialAxes.Any(a => a is < 0 or > 2) || spatialAxes.Distinct().Count() != spatialAxes.Count)
            throw new ArgumentException($"Mirror axes must be distinct spatial axes among 0, 1, 2, got [{string.Join(", ", spatialAxes)}].", nameof(spatialAxes));
        var flips = Flips(spatialAxes).Select(axes => axes.Select(a => (long)a + 2).ToArray()).ToList();
        return windows =>
        {
            using var scope = NewDisposeScope();
            Tensor? sum = null;
            foreach (var dims in flips)
            {
                using var passScope = NewDisposeScope();
                var output = dims.Length == 0 ? network(windows) : network(windows.flip(dims)).flip(dims);
                if (sum is null)
                    // A copy: the network may return a tensor it still uses (or its input), which must not be summed into.
                    sum = output.clone().MoveToOuterDisposeScope();
                else
                    sum.add_(output);
            }
            return sum!.div_(flips.Count).MoveToOuterDisposeScope();
        };
    }

    private static IEnumerable<int[]> Combinations(IReadOnlyList<int> items, int size, int from)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }
        for (int i = from; i <= items.Count - size; i++)
            foreach (var rest in Combinations(items, size - 1, i + 1))
                yield return [items[i], .. rest];
    }
}
