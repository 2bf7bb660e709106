using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_gaussian_noise</c>: with probability <c>prob</c>, adds noise drawn from N(mean, σ²) to every voxel, σ =
/// <c>std</c> or, with <c>sample_std</c>, uniform in [0, std). The noise field comes from a torch
/// <see cref="Generator"/> seeded from the sample's random stream, so it is fixed by the seed and independent of
/// torch's global generator; each target volume gets its own field.
/// </summary>
public sealed class RandGaussianNoiseTransform : IntensityTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_gaussian_noise";

    private readonly RandGaussianNoiseOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandGaussianNoiseTransform(RandGaussianNoiseOptions options) : base(RegisteredName, options.Keys)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        if (!random.Chance(_options.Prob)) return;
        var std = _options.SampleStd ? random.Uniform(0, _options.Std) : _options.Std;
        using var generator = new Generator(unchecked((ulong)random.NextSeed()));
        ChangeValues(sample, values => values + (randn(values.shape, values.dtype, generator: generator) * std + _options.Mean));
    }
}
