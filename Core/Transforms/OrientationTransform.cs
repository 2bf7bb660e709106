using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>orientation</c>: reorients every volume of the sample to the target axis codes (default RAS) by permuting and
/// flipping axes, without interpolation; affines are updated exactly so each voxel keeps its world position. The
/// reorientation is worked out from the first volume's affine and applied to all (they share one grid). Records a
/// <see cref="ReorientOperation"/> unless the sample is already in the target orientation.
/// </summary>
public sealed class OrientationTransform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "orientation";

    private readonly Orientation _target;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public OrientationTransform(OrientationOptions options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _target = Orientation.FromAxisCodes(options.AxisCodes);
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        var source = sample.ReferenceGrid(Name);
        var reorientation = Orientation.FromAffine(source.Affine).To(_target);
        if (reorientation.IsIdentity) return;
        foreach (var key in sample.Keys) sample.Replace(key, reorientation.Apply(sample[key]));
        sample.Record(new ReorientOperation(Name, reorientation, source, sample.ReferenceGrid(Name)));
    }
}
