using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// What transforms work on: one case's named volumes (e.g. <c>image</c> and <c>label</c>), each with its role, plus
/// free-form metadata and the list of geometric operations applied so far (the record that
/// <see cref="Invert"/> replays backwards). The sample owns its volumes: replacing one disposes the old one, and
/// disposing the sample disposes them all. Geometric transforms apply the same voxel operation to every volume, so
/// volumes of a sample must share their spatial shape (check image/label pairs with <see cref="VolumePairCheck"/>
/// on load).
/// </summary>
public sealed class TransformSample : IDisposable
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, (Volume Volume, VolumeRole Role)> _volumes = new(StringComparer.Ordinal);
    private readonly List<IInvertibleOperation> _operations = [];

    /// <param name="id">The case identifier, named in errors.</param>
    public TransformSample(string id) => Id = id;

    /// <summary>The case identifier.</summary>
    public string Id { get; }

    /// <summary>Volume names in the order they were added; the first one's grid is the one operations record.</summary>
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>Free-form metadata (e.g. the source file); copied, shallowly, to samples derived from this one.</summary>
    public Dictionary<string, object?> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>The geometric operations applied so far, oldest first.</summary>
    public IReadOnlyList<IInvertibleOperation> AppliedOperations => _operations;

    /// <summary>The volume named <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The sample has no such volume (the message lists those it has).</exception>
    public Volume this[string key] => Entry(key).Volume;

    /// <summary>The role of the volume named <paramref name="key"/>.</summary>
    public VolumeRole RoleOf(string key) => Entry(key).Role;

    /// <summary>True when the sample has a volume named <paramref name="key"/>.</summary>
    public bool Contains(string key) => _volumes.ContainsKey(key);

    /// <summary>The names of the volumes with role <paramref name="role"/>, in order.</summary>
    public IReadOnlyList<string> KeysWithRole(VolumeRole role) => _keys.Where(key => _volumes[key].Role == role).ToList();

    /// <summary>Adds a volume (taking ownership) and returns this sample.</summary>
    /// <exception cref="ArgumentException">A volume of that name is already there.</exception>
    public TransformSample Add(string key, Volume volume, VolumeRole role)
    {
        if (!_volumes.TryAdd(key, (volume, role)))
            throw new ArgumentException($"sample '{Id}' already has a volume named '{key}'", nameof(key));
        _keys.Add(key);
        return this;
    }

    /// <summary>Puts <paramref name="volume"/> (taking ownership) in place of the volume named <paramref name="key"/>, which is disposed.</summary>
    public void Replace(string key, Volume volume)
    {
        var (old, role) = Entry(key);
        _volumes[key] = (volume, role);
        if (!ReferenceEquals(old, volume)) old.Dispose();
    }

    /// <summary>Appends a geometric operation to <see cref="AppliedOperations"/>.</summary>
    public void Record(IInvertibleOperation operation) => _operations.Add(operation);

    /// <summary>
    /// The spatial shape every volume shares.
    /// </summary>
    /// <param name="transformName">The transform that needs it, for the error message.</param>
    /// <exception cref="InvalidOperationException">The sample has no volume, or two volumes differ in spatial shape.</exception>
    public long[] SharedSpatialShape(string transformName)
    {
        if (_keys.Count == 0)
            throw new InvalidOperationException($"transform '{transformName}': sample '{Id}' has no volumes");
        var first = _volumes[_keys[0]].Volume.SpatialShape;
        foreach (var key in _keys.Skip(1))
        {
            var shape = _volumes[key].Volume.SpatialShape;
            if (!shape.SequenceEqual(first))
                throw new InvalidOperationException(
                    $"transform '{transformName}': sample '{Id}' has volumes of different spatial shapes, '{_keys[0]}' " +
                    $"[{string.Join(", ", first)}] and '{key}' [{string.Join(", ", shape)}]; geometric transforms need one " +
                    "grid for all volumes (check image/label pairs with VolumePairCheck when loading)");
        }
        return first;
    }

    /// <summary>The grid of the first volume, which geometric operations record as the sample's grid.</summary>
    public VoxelGrid ReferenceGrid(string transformName)
    {
        SharedSpatialShape(transformName);
        return VoxelGrid.Of(_volumes[_keys[0]].Volume);
    }

    /// <summary>
    /// A new sample with the same id, roles, metadata (shallow copy) and operation record, whose volumes are
    /// <paramref name="perVolume"/> of this sample's volumes; <paramref name="operation"/>, when given, is appended
    /// to its record. This sample is not changed.
    /// </summary>
    public TransformSample Derive(Func<Volume, VolumeRole, Volume> perVolume, IInvertibleOperation? operation)
    {
        var derived = new TransformSample(Id);
        try
        {
            foreach (var key in _keys)
            {
                var (volume, role) = _volumes[key];
                derived.Add(key, perVolume(volume, role), role);
            }
        }
        catch
        {
            derived.Dispose();
            throw;
        }
        foreach (var (key, value) in Metadata) derived.Metadata[key] = value;
        derived._operations.AddRange(_operations);
        if (operation is not null) derived._operations.Add(operation);
        return derived;
    }

    /// <summary>
    /// Takes <paramref name="prediction"/> (on this sample's current grid, e.g. a network output wrapped with the
    /// transformed image's affine) back to the source grid by undoing <see cref="AppliedOperations"/>, newest first.
    /// Returns a new volume; <paramref name="prediction"/> is not disposed.
    /// </summary>
    /// <param name="prediction">Label map or probabilities on the grid this sample has now.</param>
    /// <param name="interpolation">Nearest for label maps, trilinear for probabilities.</param>
    public Volume Invert(Volume prediction, Interpolation interpolation) =>
        TransformInverter.Invert(_operations, prediction, interpolation);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (volume, _) in _volumes.Values) volume.Dispose();
        _volumes.Clear();
        _keys.Clear();
    }

    private (Volume Volume, VolumeRole Role) Entry(string key) =>
        _volumes.TryGetValue(key, out var entry)
            ? entry
            : throw new KeyNotFoundException($"sample '{Id}' has no volume named '{key}'; it has: {string.Join(", ", _keys)}");
}
