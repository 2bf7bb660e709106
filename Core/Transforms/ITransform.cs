namespace Pipeline.Core.Transforms;

/// <summary>
/// One step of a transform pipeline (orientation, spacing, intensity scaling, random crops, augmentations, ...).
/// A transform takes ownership of the sample it is given and returns the samples that result, which the caller owns:
/// usually the same sample changed in place, several new samples for crops with <c>num_samples</c>. Geometric
/// transforms record an <see cref="IInvertibleOperation"/> on each result so predictions can be taken back to the
/// source grid. All randomness comes from the <see cref="TransformRandom"/> passed in, never from global state.
/// </summary>
public interface ITransform
{
    /// <summary>The name the transform is registered under, e.g. <c>rand_flip</c>; used in errors and records.</summary>
    string Name { get; }

    /// <summary>Applies the transform.</summary>
    /// <param name="sample">The sample; ownership passes to the transform (it is disposed if it is not returned).</param>
    /// <param name="random">The random source for this call.</param>
    /// <returns>One or more samples, owned by the caller.</returns>
    IReadOnlyList<TransformSample> Apply(TransformSample sample, TransformRandom random);
}
