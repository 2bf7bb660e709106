namespace Pipeline.Core.Imaging.Geometry;

/// <summary>The few 3×3 matrix operations the orientation code needs, on plain <c>double[3, 3]</c> arrays.</summary>
internal static class Matrix3
{
    /// <summary>
    /// The orthogonal factor of the polar decomposition of <paramref name="matrix"/> (the orthogonal matrix nearest
    /// to it in the Frobenius norm), by Newton's iteration X ← (X + X⁻ᵀ)/2; null when the matrix is singular.
    /// </summary>
    public static double[,]? NearestOrthogonal(double[,] matrix)
    {
        var current = (double[,])matrix.Clone();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var inverse = Inverse(current);
            if (inverse is null) return null;
            var next = new double[3, 3];
            double change = 0;
            for (var row = 0; row < 3; row++)
            for (var column = 0; column < 3; column++)
            {
                next[row, column] = 0.5 * (current[row, column] + inverse[column, row]);
                change = Math.Max(change, Math.Abs(next[row, column] - current[row, column]));
            }
            current = next;
            if (change < 1e-15) break;
        }
        return current;
    }

    /// <summary>The inverse by the adjugate, or null when the determinant is (numerically) zero.</summary>
    public static double[,]? Inverse(double[,] m)
    {
        var c00 = m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1];
        var c01 = m[1, 2] * m[2, 0] - m[1, 0] * m[2, 2];
        var c02 = m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0];
        var determinant = m[0, 0] * c00 + m[0, 1] * c01 + m[0, 2] * c02;
        var scale = Math.Max(1e-300, MaxAbs(m));
        if (Math.Abs(determinant) < 1e-12 * scale * scale * scale) return null;
        var inverse = new double[3, 3];
        inverse[0, 0] = c00 / determinant;
        inverse[1, 0] = c01 / determinant;
        inverse[2, 0] = c02 / determinant;
        inverse[0, 1] = (m[0, 2] * m[2, 1] - m[0, 1] * m[2, 2]) / determinant;
        inverse[1, 1] = (m[0, 0] * m[2, 2] - m[0, 2] * m[2, 0]) / determinant;
        inverse[2, 1] = (m[0, 1] * m[2, 0] - m[0, 0] * m[2, 1]) / determinant;
        inverse[0, 2] = (m[0, 1] * m[1, 2] - m[0, 2] * m[1, 1]) / determinant;
        inverse[1, 2] = (m[0, 2] * m[1, 0] - m[0, 0] * m[1, 2]) / determinant;
        inverse[2, 2] = (m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]) / determinant;
        return inverse;
    }

    private static double MaxAbs(double[,] m)
    {
        double max = 0;
        foreach (var value in m) max = Math.Max(max, Math.Abs(value));
        return max;
    }
}
