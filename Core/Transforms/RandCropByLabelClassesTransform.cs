using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>rand_crop_by_label_classes</c>: takes <c>num_samples</c> crops of <c>spatial_size</c>, each centred on a voxel
/// of a class drawn with probability proportional to its ratio (classes absent from the sample are skipped), the voxel
/// uniform among that class's voxels and the box shifted as little as needed to fit. With <c>image_key</c>, only
/// voxels where that image exceeds <c>image_threshold</c> are candidates. The volumes must be at least
/// <c>spatial_size</c>. Each crop records a <see cref="RegionOperation"/>.
/// </summary>
public sealed class RandCropByLabelClassesTransform : ITransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "rand_crop_by_label_classes";

    private readonly RandCropByLabelClassesOptions _options;
    private readonly long[] _size;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RandCropByLabelClassesTransform(RandCropByLabelClassesOptions options)
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
            var classVoxels = ClassVoxels(sample);
            var weights = Weights(classVoxels);
            var total = weights.Sum();
            if (total <= 0)
                throw new InvalidOperationException(
                    $"transform '{Name}': sample '{sample.Id}' has no voxel of any class with a ratio above 0 (ratios [{string.Join(", ", weights)}] after dropping absent classes)");

            for (var index = 0; index < _options.NumSamples; index++)
            {
                var chosen = Choose(weights, total, random);
                var candidates = classVoxels[chosen];
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

    /// <summary>Per class, the flat indices of its candidate voxels.</summary>
    private List<Tensor> ClassVoxels(TransformSample sample)
    {
        var label = CropSampling.Volume(sample, _options.LabelKey, "label_key", Name).Data;
        var oneHot = label.shape[0] > 1;
        var classes = _options.NumClasses
            ?? (oneHot ? (int)label.shape[0] : (int)label.max().to_type(ScalarType.Float64).item<double>() + 1);
        if (oneHot && classes != label.shape[0])
            throw new InvalidOperationException(
                $"transform '{Name}': sample '{sample.Id}': the one-hot label '{_options.LabelKey}' has {label.shape[0]} channels but num_classes is {classes}");
        if (_options.Ratios is not null && _options.Ratios.Length != classes)
            throw new InvalidOperationException(
                $"transform '{Name}': sample '{sample.Id}': ratios has {_options.Ratios.Length} weights but the label has {classes} classes");

        var valid = CropSampling.ValidMask(sample, _options.ImageKey, _options.ImageThreshold, Name);
        var voxels = new List<Tensor>(classes);
        for (var index = 0; index < classes; index++)
        {
            var mask = oneHot ? label[index].gt(0) : label[0].eq(index);
            if (valid is not null) mask = mask.logical_and(valid);
            voxels.Add(CropSampling.FlatIndices(mask));
        }
        return voxels;
    }

    private double[] Weights(List<Tensor> classVoxels) =>
        Enumerable.Range(0, classVoxels.Count)
            .Select(index => classVoxels[index].numel() == 0 ? 0 : _options.Ratios?[index] ?? 1)
            .ToArray();

    private static int Choose(double[] weights, double total, TransformRandom random)
    {
        var draw = random.NextDouble() * total;
        var last = Array.FindLastIndex(weights, weight => weight > 0);
        for (var index = 0; index < weights.Length; index++)
        {
            if (weights[index] <= 0) continue;
            if (draw < weights[index] || index == last) return index;
            draw -= weights[index];
        }
        return last;
    }
}
