namespace Pipeline.Core.Transforms;

/// <summary>
/// A sequence of transforms applied in order; a transform that yields several samples (random crops with
/// <c>num_samples</c>) passes each of them through the rest. Randomness is fixed by a seed: transform t acting on
/// the s-th sample it receives draws from <see cref="TransformRandom.ForStream"/>(seed, t, s), so the output depends
/// only on the input and the seed (not on threads or on other samples), and a transform's draws do not shift when an
/// earlier transform draws more or less.
/// </summary>
public sealed class Compose
{
    private readonly ITransform[] _transforms;

    /// <param name="transforms">The transforms, in the order they run.</param>
    public Compose(IEnumerable<ITransform> transforms) => _transforms = transforms.ToArray();

    /// <summary>The transforms, in the order they run.</summary>
    public IReadOnlyList<ITransform> Transforms => _transforms;

    /// <summary>
    /// Runs every transform on <paramref name="sample"/> (taking ownership of it) and returns the resulting samples,
    /// which the caller owns. If a transform throws, every sample still held is disposed and the exception propagates.
    /// </summary>
    /// <param name="sample">The input sample.</param>
    /// <param name="seed">Fixes every random draw, e.g. derived from the run seed, epoch and case index.</param>
    public IReadOnlyList<TransformSample> Apply(TransformSample sample, long seed)
    {
        var current = new List<TransformSample> { sample };
        for (var transformIndex = 0; transformIndex < _transforms.Length; transformIndex++)
        {
            var next = new List<TransformSample>(current.Count);
            var handedOver = 0;
            try
            {
                for (var sampleIndex = 0; sampleIndex < current.Count; sampleIndex++)
                {
                    var random = TransformRandom.ForStream(seed, transformIndex, sampleIndex);
                    handedOver = sampleIndex + 1; // from here on the transform owns it, even if it throws
                    next.AddRange(_transforms[transformIndex].Apply(current[sampleIndex], random));
                }
            }
            catch
            {
                foreach (var remaining in current.Skip(handedOver)) remaining.Dispose();
                foreach (var produced in next) produced.Dispose();
                throw;
            }
            current = next;
        }
        return current;
    }
}
