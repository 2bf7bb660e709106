using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>spatial_pad</c>: zero-pads every volume along each axis shorter than <c>spatial_size</c>, half before and half
/// after (the odd voxel after), so random crops of that size fit. Records a <see cref="RegionOperation"/> when it pads.
/// </summary>
public sealed class SpatialPadTransform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "spatial_pad";

    private readonly long[] _size;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public SpatialPadTransform(SpatialPadOptions options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _size = options.SpatialSize.Select(size => (long)size).ToArray();
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        var shape = sample.SharedSpatialShape(Name);
        var missing = Enumerable.Range(0, 3).Select(axis => Math.Max(0, _size[axis] - shape[axis])).ToArray();
        if (missing.All(count => count == 0)) return;
        var before = missing.Select(count => count / 2).ToArray();
        var after = missing.Select(count => count - count / 2).ToArray();
        var source = sample.ReferenceGrid(Name);
        foreach (var key in sample.Keys) sample.Replace(key, CropPad.Pad(sample[key], before, after));
        sample.Record(new RegionOperation(Name, before.Select(count => -count).ToArray(), source, sample.ReferenceGrid(Name)));
    }
}
