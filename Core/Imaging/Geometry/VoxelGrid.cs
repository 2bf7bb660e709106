namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// A sampling grid in world space: a spatial shape (I, J, K) and the affine of its voxel centres. Compare grids with
/// <see cref="Matches"/> (a tolerance on the affine), not by reference.
/// </summary>
public sealed class VoxelGrid
{
    private readonly long[] _shape;

    /// <param name="shape">Number of voxels along i, j and k, each ≥ 1.</param>
    /// <param name="affine">Voxel (i, j, k) → world millimetres, RAS+.</param>
    /// <exception cref="ArgumentException">Not three sizes, or a size below 1.</exception>
    public VoxelGrid(IReadOnlyList<long> shape, AffineMatrix affine)
    {
        if (shape.Count != 3 || shape.Any(size => size < 1))
            throw new ArgumentException($"a grid needs three sizes of at least 1, got [{string.Join(", ", shape)}]", nameof(shape));
        _shape = shape.ToArray();
        Affine = affine;
    }

    /// <summary>Number of voxels along i, j and k.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Voxel (i, j, k) → world millimetres, RAS+.</summary>
    public AffineMatrix Affine { get; }

    /// <summary>Voxel sizes along i, j and k in millimetres.</summary>
    public double[] Spacing => Affine.Spacing();

    /// <summary>The grid of <paramref name="volume"/>.</summary>
    public static VoxelGrid Of(Volume volume) => new(volume.SpatialShape, volume.Affine);

    /// <summary>True when both grids have the same shape and their affines differ by at most <paramref name="tolerance"/> per element.</summary>
    public bool Matches(VoxelGrid other, double tolerance) =>
        _shape.AsSpan().SequenceEqual(other._shape) && Affine.ApproximatelyEquals(other.Affine, tolerance);

    /// <summary><c>[I, J, K] @ affine</c>.</summary>
    public override string ToString() => $"[{string.Join(", ", _shape)}] @ {Affine}";
}
