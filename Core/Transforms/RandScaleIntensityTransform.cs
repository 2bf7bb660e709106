namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_scale_intensity</c>: with probability <c>prob</c>, multiplies every voxel by <c>1 + f</c>, f drawn
/// uniformly from [−factors, factors) (the same factor for all target volumes of the sample).
/// </summary>
public sealed class RandScaleIntensityTransform : IntensityTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_scale_intensity";

    private readonly RandScaleIntensityOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandScaleIntensityTransform(RandScaleIntensityOptions options) : base(RegisteredName, options.Keys)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        if (!random.Chance(_options.Prob)) return;
        var factor = 1 + random.Uniform(-_options.Factors, _options.Factors);
        ChangeValues(sample, values => values * factor);
    }
}
