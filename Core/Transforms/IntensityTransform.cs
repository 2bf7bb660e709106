using Pipeline.Core.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// Base of the transforms that change voxel values but not the grid: they act on the volumes named by their
/// <c>keys</c> option, or on every <see cref="VolumeRole.Image"/> volume when it is not set, and record nothing
/// (there is nothing to invert). Values are computed in float32 (float64 volumes stay float64); integer images
/// come out as float32.
/// </summary>
public abstract class IntensityTransform : SampleTransform
{
    private readonly IReadOnlyList<string>? _keys;

    /// <param name="name">The registered name.</param>
    /// <param name="keys">The volumes to change; null for all image volumes.</param>
    protected IntensityTransform(string name, IReadOnlyList<string>? keys) : base(name) => _keys = keys?.ToArray();

    /// <summary>The volumes of <paramref name="sample"/> this transform changes.</summary>
    /// <exception cref="KeyNotFoundException">A key names no volume of the sample.</exception>
    protected IReadOnlyList<string> TargetKeys(TransformSample sample)
    {
        if (_keys is null) return sample.KeysWithRole(VolumeRole.Image);
        foreach (var key in _keys)
            if (!sample.Contains(key))
                throw new KeyNotFoundException(
                    $"transform '{Name}': sample '{sample.Id}' has no volume named '{key}' (keys option); it has: {string.Join(", ", sample.Keys)}");
        return _keys;
    }

    /// <summary>Replaces each target volume's data by <paramref name="change"/> of it (as float), inside a dispose scope.</summary>
    protected void ChangeValues(TransformSample sample, Func<Tensor, Tensor> change)
    {
        foreach (var key in TargetKeys(sample))
        {
            using var scope = NewDisposeScope();
            var volume = sample[key];
            var values = ScalarTypes.IsFloating(volume.Data.dtype) && volume.Data.dtype != ScalarType.Float16 && volume.Data.dtype != ScalarType.BFloat16
                ? volume.Data
                : volume.Data.to_type(ScalarType.Float32);
            var changed = change(values).to_type(values.dtype).contiguous();
            // change() may hand back its input; a volume must own a tensor no one else disposes.
            if (ReferenceEquals(changed, volume.Data)) changed = changed.clone();
            sample.Replace(key, volume.WithData(changed.DetachFromDisposeScope()));
        }
    }
}
