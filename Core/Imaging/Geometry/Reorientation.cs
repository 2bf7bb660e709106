using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// A change of orientation that only permutes and flips index axes, so it moves voxels without interpolation: what
/// nibabel's <c>ornt_transform</c> returns and <c>apply_orientation</c> applies. Source index axis <c>a</c> becomes
/// result axis <see cref="TargetAxis"/>(a), reversed when <see cref="IsFlipped"/>(a). Applied to a
/// <see cref="Volume"/> it also updates the affine exactly (nibabel's <c>affine · inv_ornt_aff(ornt, shape)</c>),
/// so every voxel keeps its world position.
/// </summary>
public sealed class Reorientation
{
    private readonly int[] _targetAxes;
    private readonly bool[] _flips;

    /// <summary>Builds a reorientation from, per source axis, the result axis it becomes and whether it is reversed.</summary>
    /// <exception cref="ArgumentException">Not three entries, or the target axes are not a permutation of 0, 1, 2.</exception>
    public Reorientation(IReadOnlyList<int> targetAxes, IReadOnlyList<bool> flips)
    {
        if (targetAxes.Count != 3 || flips.Count != 3)
            throw new ArgumentException($"a reorientation needs 3 target axes and 3 flips, got {targetAxes.Count} and {flips.Count}");
        if (targetAxes.Any(axis => axis is < 0 or > 2) || targetAxes.Distinct().Count() != 3)
            throw new ArgumentException($"target axes must be a permutation of 0, 1, 2, got [{string.Join(", ", targetAxes)}]", nameof(targetAxes));
        _targetAxes = targetAxes.ToArray();
        _flips = flips.ToArray();
    }

    /// <summary>The result axis that source index axis <paramref name="sourceAxis"/> becomes.</summary>
    public int TargetAxis(int sourceAxis) => _targetAxes[sourceAxis];

    /// <summary>Whether source index axis <paramref name="sourceAxis"/> is reversed.</summary>
    public bool IsFlipped(int sourceAxis) => _flips[sourceAxis];

    /// <summary>True when nothing moves (no permutation, no flip).</summary>
    public bool IsIdentity => _targetAxes.SequenceEqual([0, 1, 2]) && !_flips.Any(flip => flip);

    /// <summary>The reorientation from <paramref name="start"/> to <paramref name="end"/> (nibabel's <c>ornt_transform</c>).</summary>
    public static Reorientation Between(Orientation start, Orientation end)
    {
        var targetAxes = new int[3];
        var flips = new bool[3];
        for (var endAxis = 0; endAxis < 3; endAxis++)
        {
            // Both orientations use each world axis exactly once, so exactly one source axis matches.
            var sourceAxis = Enumerable.Range(0, 3).Single(axis => start.WorldAxis(axis) == end.WorldAxis(endAxis));
            targetAxes[sourceAxis] = endAxis;
            flips[sourceAxis] = start.Direction(sourceAxis) != end.Direction(endAxis);
        }
        return new Reorientation(targetAxes, flips);
    }

    /// <summary>The reorientation that undoes this one (exactly).</summary>
    public Reorientation Inverse()
    {
        var targetAxes = new int[3];
        var flips = new bool[3];
        for (var sourceAxis = 0; sourceAxis < 3; sourceAxis++)
        {
            targetAxes[_targetAxes[sourceAxis]] = sourceAxis;
            flips[_targetAxes[sourceAxis]] = _flips[sourceAxis];
        }
        return new Reorientation(targetAxes, flips);
    }

    /// <summary>The spatial shape of the result for a source of spatial shape <paramref name="sourceShape"/>.</summary>
    public long[] ResultShape(IReadOnlyList<long> sourceShape)
    {
        var shape = new long[3];
        for (var sourceAxis = 0; sourceAxis < 3; sourceAxis++) shape[_targetAxes[sourceAxis]] = sourceShape[sourceAxis];
        return shape;
    }

    /// <summary>
    /// The matrix that maps a result voxel index to the source voxel index holding the same data (nibabel's
    /// <c>inv_ornt_aff</c>): source index a = result index TargetAxis(a), or (n_a − 1) minus it when flipped.
    /// The result's affine is the source affine times this matrix.
    /// </summary>
    public AffineMatrix ResultToSourceVoxels(IReadOnlyList<long> sourceShape)
    {
        var values = new double[16];
        for (var sourceAxis = 0; sourceAxis < 3; sourceAxis++)
        {
            values[sourceAxis * 4 + _targetAxes[sourceAxis]] = _flips[sourceAxis] ? -1 : 1;
            values[sourceAxis * 4 + 3] = _flips[sourceAxis] ? sourceShape[sourceAxis] - 1 : 0;
        }
        values[15] = 1;
        return new AffineMatrix(values);
    }

    /// <summary>
    /// The volume reoriented: data flipped and permuted (no interpolation), affine multiplied by
    /// <see cref="ResultToSourceVoxels"/>, source header kept. The result owns a new contiguous tensor (not attached
    /// to any dispose scope); <paramref name="volume"/> is left as it was.
    /// </summary>
    public Volume Apply(Volume volume)
    {
        using var scope = NewDisposeScope();
        var data = volume.Data;
        var flipped = Enumerable.Range(0, 3).Where(axis => _flips[axis]).Select(axis => (long)axis + 1).ToArray();
        if (flipped.Length > 0) data = data.flip(flipped);
        // Result axis o holds the source axis that maps to o.
        var permutation = new long[4];
        for (var sourceAxis = 0; sourceAxis < 3; sourceAxis++) permutation[_targetAxes[sourceAxis] + 1] = sourceAxis + 1;
        // flip copies and a real permutation makes contiguous() copy; only the identity needs an explicit clone.
        var result = IsIdentity ? data.clone() : data.permute(permutation).contiguous();
        var affine = volume.Affine.Multiply(ResultToSourceVoxels(volume.SpatialShape));
        return new Volume(result.DetachFromDisposeScope(), affine, volume.SourceHeader);
    }

    /// <summary>Per source axis, <c>target axis</c> and a minus sign for flips, e.g. <c>[0, -1, 2]</c> reads "j flipped".</summary>
    public override string ToString() =>
        "[" + string.Join(", ", Enumerable.Range(0, 3).Select(axis => $"{(_flips[axis] ? "-" : "")}{_targetAxes[axis]}")) + "]";
}
