using System.Globalization;

namespace Pipeline.Core.Imaging;

/// <summary>
/// An immutable 4×4 homogeneous matrix in float64 that maps voxel indices (i, j, k) to world coordinates in
/// millimetres, RAS+ as in NIfTI and nibabel: world = A · (i, j, k, 1)ᵀ. Index i is the first spatial axis of a
/// volume tensor (see <see cref="Volume"/>). Row-major storage; the last row is (0, 0, 0, 1) for every affine built
/// from an image header, but products and inverses are general.
/// </summary>
public sealed class AffineMatrix : IEquatable<AffineMatrix>
{
    private readonly double[] _values; // row-major, 16 values

    /// <summary>Builds a matrix from 16 row-major values.</summary>
    /// <exception cref="ArgumentException">Not 16 values, or a value that is NaN or infinite.</exception>
    public AffineMatrix(IReadOnlyList<double> rowMajor)
    {
        if (rowMajor.Count != 16) throw new ArgumentException($"an affine needs 16 row-major values, got {rowMajor.Count}", nameof(rowMajor));
        for (var n = 0; n < 16; n++)
        {
            if (!double.IsFinite(rowMajor[n]))
                throw new ArgumentException($"affine element [{n / 4},{n % 4}] is {rowMajor[n]}; every element must be finite", nameof(rowMajor));
        }
        _values = rowMajor.ToArray();
    }

    /// <summary>The identity: voxel indices are millimetres.</summary>
    public static AffineMatrix Identity { get; } = FromDiagonal(1, 1, 1);

    /// <summary>A scaling affine with the given voxel spacing and origin at voxel (0, 0, 0).</summary>
    public static AffineMatrix FromDiagonal(double sx, double sy, double sz, double ox = 0, double oy = 0, double oz = 0) =>
        new([sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz, 0, 0, 0, 1]);

    /// <summary>Element at row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public double this[int row, int column] => _values[row * 4 + column];

    /// <summary>The 16 values, row-major (a copy).</summary>
    public double[] ToRowMajor() => (double[])_values.Clone();

    /// <summary>Rows as arrays, e.g. for JSON output.</summary>
    public double[][] ToRows() => Enumerable.Range(0, 4).Select(r => _values.AsSpan(r * 4, 4).ToArray()).ToArray();

    /// <summary>Voxel size along each index axis: the Euclidean norm of the first three columns of the 3×3 part.</summary>
    public double[] Spacing() =>
        Enumerable.Range(0, 3).Select(c => Math.Sqrt(this[0, c] * this[0, c] + this[1, c] * this[1, c] + this[2, c] * this[2, c])).ToArray();

    /// <summary>The translation: world position of voxel (0, 0, 0).</summary>
    public double[] Origin() => [this[0, 3], this[1, 3], this[2, 3]];

    /// <summary>Matrix product this · <paramref name="other"/> (apply <paramref name="other"/> first).</summary>
    public AffineMatrix Multiply(AffineMatrix other)
    {
        var result = new double[16];
        for (var r = 0; r < 4; r++)
        for (var c = 0; c < 4; c++)
        {
            double sum = 0;
            for (var k = 0; k < 4; k++) sum += this[r, k] * other[k, c];
            result[r * 4 + c] = sum;
        }
        return new AffineMatrix(result);
    }

    /// <summary>Maps a point (x, y, z) through the matrix (homogeneous coordinate 1).</summary>
    public double[] Apply(double x, double y, double z)
    {
        var p = new[] { x, y, z, 1.0 };
        var result = new double[3];
        for (var r = 0; r < 3; r++) result[r] = this[r, 0] * p[0] + this[r, 1] * p[1] + this[r, 2] * p[2] + this[r, 3];
        return result;
    }

    /// <summary>The inverse, by Gauss–Jordan elimination with partial pivoting.</summary>
    /// <exception cref="InvalidOperationException">The matrix is singular (e.g. a zero voxel size).</exception>
    public AffineMatrix Inverse()
    {
        var a = (double[])_values.Clone();
        var inv = Identity.ToRowMajor();
        for (var col = 0; col < 4; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 4; r++)
                if (Math.Abs(a[r * 4 + col]) > Math.Abs(a[pivot * 4 + col])) pivot = r;
            if (Math.Abs(a[pivot * 4 + col]) < 1e-12)
                throw new InvalidOperationException($"the affine is singular and cannot be inverted: {this}");
            if (pivot != col)
            {
                for (var c = 0; c < 4; c++)
                {
                    (a[col * 4 + c], a[pivot * 4 + c]) = (a[pivot * 4 + c], a[col * 4 + c]);
                    (inv[col * 4 + c], inv[pivot * 4 + c]) = (inv[pivot * 4 + c], inv[col * 4 + c]);
                }
            }
            var scale = a[col * 4 + col];
            for (var c = 0; c < 4; c++) { a[col * 4 + c] /= scale; inv[col * 4 + c] /= scale; }
            for (var r = 0; r < 4; r++)
            {
                if (r == col) continue;
                var factor = a[r * 4 + col];
                if (factor == 0) continue;
                for (var c = 0; c < 4; c++) { a[r * 4 + c] -= factor * a[col * 4 + c]; inv[r * 4 + c] -= factor * inv[col * 4 + c]; }
            }
        }
        return new AffineMatrix(inv);
    }

    /// <summary>Largest absolute element-wise difference to <paramref name="other"/>.</summary>
    public double MaxAbsDifference(AffineMatrix other)
    {
        double max = 0;
        for (var n = 0; n < 16; n++) max = Math.Max(max, Math.Abs(_values[n] - other._values[n]));
        return max;
    }

    /// <summary>True when every element differs by at most <paramref name="tolerance"/>.</summary>
    public bool ApproximatelyEquals(AffineMatrix other, double tolerance) => MaxAbsDifference(other) <= tolerance;

    /// <inheritdoc />
    public bool Equals(AffineMatrix? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AffineMatrix);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _values) hash.Add(v);
        return hash.ToHashCode();
    }

    /// <summary>Rows in brackets, e.g. <c>[[1, 0, 0, 0], [0, 1, 0, 0], ...]</c>.</summary>
    public override string ToString() =>
        "[" + string.Join(", ", ToRows().Select(row => "[" + string.Join(", ", row.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]")) + "]";
}
