namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// Which world axis each index axis (i, j, k) of a volume runs along, and in which direction: what nibabel calls an
/// "ornt" array and writes as axis codes such as <c>RAS</c> (i grows towards Right, j towards Anterior, k towards
/// Superior) or <c>LPS</c>. World axes are numbered 0 = x (L→R), 1 = y (P→A), 2 = z (I→S), as in RAS+ affines.
/// </summary>
public sealed class Orientation : IEquatable<Orientation>
{
    // Per world axis, the code letters for the negative and the positive direction.
    private static readonly (char Negative, char Positive)[] Codes = [('L', 'R'), ('P', 'A'), ('I', 'S')];

    private readonly int[] _worldAxes;
    private readonly int[] _directions;

    /// <summary>Builds an orientation from its per-index-axis world axes and directions.</summary>
    /// <param name="worldAxes">For index axes i, j, k: the world axis (0, 1 or 2) each runs along; a permutation.</param>
    /// <param name="directions">For index axes i, j, k: +1 when the index grows towards R/A/S, −1 towards L/P/I.</param>
    /// <exception cref="ArgumentException">Not three entries, not a permutation, or a direction other than ±1.</exception>
    public Orientation(IReadOnlyList<int> worldAxes, IReadOnlyList<int> directions)
    {
        if (worldAxes.Count != 3 || directions.Count != 3)
            throw new ArgumentException($"an orientation needs 3 world axes and 3 directions, got {worldAxes.Count} and {directions.Count}");
        if (worldAxes.Any(axis => axis is < 0 or > 2) || worldAxes.Distinct().Count() != 3)
            throw new ArgumentException($"world axes must be a permutation of 0, 1, 2, got [{string.Join(", ", worldAxes)}]", nameof(worldAxes));
        if (directions.Any(direction => direction is not (1 or -1)))
            throw new ArgumentException($"directions must be +1 or -1, got [{string.Join(", ", directions)}]", nameof(directions));
        _worldAxes = worldAxes.ToArray();
        _directions = directions.ToArray();
    }

    /// <summary>RAS: i → Right, j → Anterior, k → Superior (the canonical orientation of nibabel and MONAI).</summary>
    public static Orientation Ras { get; } = new([0, 1, 2], [1, 1, 1]);

    /// <summary>The world axis (0 = x, 1 = y, 2 = z) that index axis <paramref name="indexAxis"/> runs along.</summary>
    public int WorldAxis(int indexAxis) => _worldAxes[indexAxis];

    /// <summary>+1 when index axis <paramref name="indexAxis"/> grows towards R/A/S, −1 when towards L/P/I.</summary>
    public int Direction(int indexAxis) => _directions[indexAxis];

    /// <summary>The three-letter code, one letter per index axis naming the direction it grows towards, e.g. <c>RAS</c>.</summary>
    public string AxisCodes => new(Enumerable.Range(0, 3)
        .Select(axis => _directions[axis] > 0 ? Codes[_worldAxes[axis]].Positive : Codes[_worldAxes[axis]].Negative)
        .ToArray());

    /// <summary>Parses axis codes such as <c>RAS</c>, <c>lps</c> or <c>PIR</c> (any letter case).</summary>
    /// <exception cref="ArgumentException">Not three letters from L/R, P/A, I/S with each pair used once.</exception>
    public static Orientation FromAxisCodes(string codes) =>
        TryParseAxisCodes(codes, out var orientation, out var problem) ? orientation! : throw new ArgumentException(problem, nameof(codes));

    /// <summary>Parses axis codes such as <c>RAS</c>; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParseAxisCodes(string? codes, out Orientation? orientation, out string? problem)
    {
        orientation = null;
        if (codes is null || codes.Length != 3)
        {
            problem = $"axis codes must be three letters such as 'RAS', got '{codes}'";
            return false;
        }
        var worldAxes = new int[3];
        var directions = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var letter = char.ToUpperInvariant(codes[axis]);
            var world = Array.FindIndex(Codes, pair => pair.Negative == letter || pair.Positive == letter);
            if (world < 0)
            {
                problem = $"axis codes '{codes}': '{codes[axis]}' is not one of L, R, P, A, I, S";
                return false;
            }
            worldAxes[axis] = world;
            directions[axis] = Codes[world].Positive == letter ? 1 : -1;
        }
        if (worldAxes.Distinct().Count() != 3)
        {
            problem = $"axis codes '{codes}' name a world axis twice; use one of L/R, one of P/A and one of I/S";
            return false;
        }
        problem = null;
        orientation = new Orientation(worldAxes, directions);
        return true;
    }

    /// <summary>
    /// The orientation of a voxel-to-world affine, by the rule of nibabel's <c>io_orientation</c>: the columns of the
    /// 3×3 part are normalised by the voxel sizes, replaced by the nearest orthogonal matrix (polar decomposition,
    /// so shears do not decide), and each index axis in turn takes the world axis along which its column is largest
    /// in magnitude among the world axes not yet taken.
    /// </summary>
    /// <exception cref="ArgumentException">The affine's 3×3 part is singular (a zero voxel size or collinear axes).</exception>
    public static Orientation FromAffine(AffineMatrix affine)
    {
        var spacing = affine.Spacing();
        var columns = new double[3, 3];
        for (var row = 0; row < 3; row++)
        for (var column = 0; column < 3; column++)
            columns[row, column] = affine[row, column] / (spacing[column] == 0 ? 1 : spacing[column]);

        var rotation = Matrix3.NearestOrthogonal(columns)
            ?? throw new ArgumentException($"the affine's 3x3 part is singular, so it has no orientation: {affine}", nameof(affine));

        var worldAxes = new int[3];
        var directions = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var best = 0;
            for (var world = 1; world < 3; world++)
                if (Math.Abs(rotation[world, axis]) > Math.Abs(rotation[best, axis])) best = world;
            if (Math.Abs(rotation[best, axis]) < 1e-8)
                throw new ArgumentException($"index axis {axis} of the affine has no remaining world axis: {affine}", nameof(affine));
            worldAxes[axis] = best;
            directions[axis] = rotation[best, axis] > 0 ? 1 : -1;
            // A world axis, once taken, is out of the running for the axes that follow.
            for (var column = 0; column < 3; column++) rotation[best, column] = 0;
        }
        return new Orientation(worldAxes, directions);
    }

    /// <summary>The reorientation (axis permutation and flips) that takes a volume in this orientation to <paramref name="target"/>.</summary>
    public Reorientation To(Orientation target) => Reorientation.Between(this, target);

    /// <inheritdoc />
    public bool Equals(Orientation? other) =>
        other is not null && _worldAxes.AsSpan().SequenceEqual(other._worldAxes) && _directions.AsSpan().SequenceEqual(other._directions);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Orientation);

    /// <inheritdoc />
    public override int GetHashCode() => AxisCodes.GetHashCode(StringComparison.Ordinal);

    /// <summary>The axis codes, e.g. <c>RAS</c>.</summary>
    public override string ToString() => AxisCodes;
}
