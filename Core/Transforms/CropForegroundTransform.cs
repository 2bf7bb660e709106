using Pipeline.Core.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>crop_foreground</c>: crops every volume to the bounding box of the source volume's foreground (voxels above
/// <c>threshold</c> in any channel), widened by <c>margin</c> voxels on each side but never beyond the volume.
/// Records a <see cref="RegionOperation"/>; a sample without foreground is left as it is.
/// </summary>
public sealed class CropForegroundTransform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "crop_foreground";

    private readonly CropForegroundOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public CropForegroundTransform(CropForegroundOptions options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        var shape = sample.SharedSpatialShape(Name);
        var box = ForegroundBox(CropSampling.Volume(sample, _options.SourceKey, "source_key", Name).Data, shape);
        if (box is null) return;
        var (start, size) = box.Value;
        var source = sample.ReferenceGrid(Name);
        foreach (var key in sample.Keys) sample.Replace(key, CropPad.Extract(sample[key], start, size));
        sample.Record(new RegionOperation(Name, start, source, sample.ReferenceGrid(Name)));
    }

    private (long[] Start, long[] Size)? ForegroundBox(Tensor data, long[] shape)
    {
        using var scope = NewDisposeScope();
        var mask = data.gt(_options.Threshold).any(0);
        if (!mask.any().item<bool>()) return null;
        var start = new long[3];
        var size = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var others = Enumerable.Range(0, 3).Where(other => other != axis).Select(other => (long)other).ToArray();
            var present = mask.any(others[1]).any(others[0]).nonzero().flatten();
            var first = present[0].item<long>();
            var last = present[-1].item<long>();
            start[axis] = Math.Max(first - _options.Margin, 0);
            size[axis] = Math.Min(last + _options.Margin + 1, shape[axis]) - start[axis];
        }
        return (start, size);
    }
}
