using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_rotate90</c>: with probability <c>prob</c>, turns every volume by k·90° (k uniform in 1..max_k) in the
/// plane of the two spatial axes (exact; affines updated). Records a <see cref="Rotate90Operation"/> when it turns.
/// </summary>
public sealed class RandRotate90Transform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_rotate90";

    private readonly RandRotate90Options _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandRotate90Transform(RandRotate90Options options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        if (!random.Chance(_options.Prob)) return;
        var turns = 1 + random.NextInt(_options.MaxK);
        var (first, second) = (_options.SpatialAxes[0], _options.SpatialAxes[1]);
        var source = sample.ReferenceGrid(Name);
        foreach (var key in sample.Keys) sample.Replace(key, VolumeAxes.Rotate90(sample[key], turns, first, second));
        sample.Record(new Rotate90Operation(Name, turns % 4, first, second, source, sample.ReferenceGrid(Name)));
    }
}
