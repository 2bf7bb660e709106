using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_flip</c>: with probability <c>prob</c>, reverses every volume along the configured spatial axes (exact;
/// affines updated so voxels keep their world positions). Records a <see cref="FlipOperation"/> when it flips.
/// </summary>
public sealed class RandFlipTransform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_flip";

    private readonly double _probability;
    private readonly int[] _axes;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandFlipTransform(RandFlipOptions options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _probability = options.Prob;
        _axes = options.SpatialAxis?.ToArray() ?? [0, 1, 2];
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        if (!random.Chance(_probability)) return;
        var source = sample.ReferenceGrid(Name);
        foreach (var key in sample.Keys) sample.Replace(key, VolumeAxes.Flip(sample[key], _axes));
        sample.Record(new FlipOperation(Name, _axes, source, sample.ReferenceGrid(Name)));
    }
}
