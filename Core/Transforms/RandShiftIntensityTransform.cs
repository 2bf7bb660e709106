namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_shift_intensity</c>: with probability <c>prob</c>, adds one offset drawn uniformly from
/// [−offsets, offsets) to every voxel (the same offset for all target volumes of the sample).
/// </summary>
public sealed class RandShiftIntensityTransform : IntensityTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_shift_intensity";

    private readonly RandShiftIntensityOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandShiftIntensityTransform(RandShiftIntensityOptions options) : base(RegisteredName, options.Keys)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        if (!random.Chance(_options.Prob)) return;
        var offset = random.Uniform(-_options.Offsets, _options.Offsets);
        ChangeValues(sample, values => values + offset);
    }
}
