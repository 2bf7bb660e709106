using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>spacing</c>: resamples every volume of the sample to the target voxel size on the grid of
/// <see cref="Resampler.SpacingGrid"/> (directions and voxel 0's centre kept, MONAI's shape rule), images
/// trilinearly and label maps with nearest neighbour. The grid is worked out from the first volume and used for all.
/// Records a <see cref="ResampleOperation"/> (inverted with border padding); a sample already on that grid is left
/// as it is.
/// </summary>
public sealed class SpacingTransform : SampleTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "spacing";

    // Affine elements closer than this (mm) count as the same grid, so a no-op resampling is skipped.
    private const double SameGridTolerance = 1e-6;

    private readonly SpacingOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public SpacingTransform(SpacingOptions options) : base(RegisteredName)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random)
    {
        var source = sample.ReferenceGrid(Name);
        var target = Resampler.SpacingGrid(source, _options.Pixdim);
        if (target.Matches(source, SameGridTolerance)) return;
        foreach (var key in sample.Keys)
        {
            var interpolation = sample.RoleOf(key) == VolumeRole.Label ? _options.LabelInterpolation : _options.ImageInterpolation;
            sample.Replace(key, Resampler.ToGrid(sample[key], target, interpolation, _options.Padding));
        }
        sample.Record(new ResampleOperation(Name, source, target, PaddingMode.Border));
    }
}
