namespace Pipeline.Core.Transforms;

/// <summary>
/// Base of the transforms that change a sample in place and return it (all but the multi-sample crops). If the
/// change fails, the sample is disposed, as <see cref="ITransform"/> requires, and the exception propagates.
/// </summary>
public abstract class SampleTransform : ITransform
{
    /// <param name="name">The registered name, e.g. <c>rand_flip</c>.</param>
    protected SampleTransform(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<TransformSample> Apply(TransformSample sample, TransformRandom random)
    {
        try
        {
            Transform(sample, random);
            return [sample];
        }
        catch
        {
            sample.Dispose();
            throw;
        }
    }

    /// <summary>Changes <paramref name="sample"/> in place, drawing any randomness from <paramref name="random"/>.</summary>
    protected abstract void Transform(TransformSample sample, TransformRandom random);
}
