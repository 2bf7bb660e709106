using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_crop_pos_neg</c>: takes <c>num_samples</c> crops of <c>spatial_size</c> from the sample, each centred on
/// a foreground voxel of the label map with probability pos / (pos + neg), else on a background voxel (MONAI's
/// rule), the voxel drawn uniformly among its kind and the box shifted as little as needed to fit. With
/// <c>image_key</c>, only voxels where that image exceeds <c>image_threshold</c> are candidates. When one kind has
/// no voxels the other is used; when neither has any, it is an error. The volumes must be at least
/// <c>spatial_size</c> (pad with <c>spatial_pad</c> first). Each crop records a <see cref="RegionOperation"/>.
/// </summary>
public sealed class RandCropByPosNegLabelTransform : ITransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_crop_pos_neg";

    private readonly RandCropByPosNegLabelOptions _options;
    private readonly long[] _size;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandCropByPosNegLabelTransform(RandCropByPosNegLabelOptions options)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
        _size = options.SpatialSize.Select(size => (long)size).ToArray();
    }

    /// <inheritdoc />
    public string Name => RegisteredName;

    /// <inheritdoc />
    public IReadOnlyList<TransformSample> Apply(TransformSample sample, TransformRandom random)
    {
        var crops = new List<TransformSample>(_options.NumSamples);
        try
        {
            var shape = CropSampling.RequireFits(sample, _size, Name);
            using var scope = NewDisposeScope();
            var foreground = CropSampling.Volume(sample, _options.LabelKey, "label_key", Name).Data.gt(0).any(0);
            var background = foreground.logical_not();
            if (CropSampling.ValidMask(sample, _options.ImageKey, _options.ImageThreshold, Name) is { } valid)
            {
                foreground = foreground.logical_and(valid);
                background = background.logical_and(valid);
            }
            var positives = CropSampling.FlatIndices(foreground);
            var negatives = CropSampling.FlatIndices(background);
            if (positives.numel() == 0 && negatives.numel() == 0)
                throw new InvalidOperationException(
                    $"transform '{Name}': sample '{sample.Id}' has no candidate crop centre (no voxel passes image_threshold {_options.ImageThreshold} of '{_options.ImageKey}')");

            var positiveShare = _options.Pos / (_options.Pos + _options.Neg);
            for (var index = 0; index < _options.NumSamples; index++)
            {
                var fromForeground = random.Chance(positiveShare);
                var candidates = (fromForeground && positives.numel() > 0) || negatives.numel() == 0 ? positives : negatives;
                var centre = candidates[random.NextLong(candidates.numel())].item<long>();
                crops.Add(CropSampling.Crop(sample, CropSampling.StartAround(centre, shape, _size), _size, Name));
            }
            return crops;
        }
        catch
        {
            foreach (var crop in crops) crop.Dispose();
            throw;
        }
        finally
        {
            sample.Dispose();
        }
    }
}
