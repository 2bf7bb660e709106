namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// The few 3×3 operations the NIfTI geometry needs: determinant, singular value decomposition (one-sided Jacobi,
/// accurate for small singular values, which orientation detection thresholds on) and the polar decomposition built
/// on it (the closest rotation to a matrix, as nibabel computes it with numpy's SVD).
/// </summary>
internal static class Matrix3
{
    /// <summary>The upper-left 3×3 block of an affine.</summary>
    public static double[,] Linear(AffineMatrix affine)
    {
        var m = new double[3, 3];
        for (var r = 0; r < 3; r++)
        for (var c = 0; c < 3; c++)
            m[r, c] = affine[r, c];
        return m;
    }

    /// <summary>Euclidean norm of column <paramref name="column"/>.</summary>
    public static double ColumnNorm(double[,] m, int column) =>
        Math.Sqrt(m[0, column] * m[0, column] + m[1, column] * m[1, column] + m[2, column] * m[2, column]);

    /// <summary>The determinant.</summary>
    public static double Determinant(double[,] m) =>
        m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
        - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
        + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);

    /// <summary>
    /// Singular value decomposition <c>m = U · diag(S) · Vᵀ</c> by one-sided Jacobi rotations: the columns of
    /// <c>m · V</c> are made mutually orthogonal, their norms are the singular values and the normalised columns are
    /// <c>U</c> (a zero column leaves a zero column in <c>U</c>). Singular values are not sorted.
    /// </summary>
    public static (double[,] U, double[] S, double[,] V) Svd(double[,] m)
    {
        var a = (double[,])m.Clone();
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (var sweep = 0; sweep < 60; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < 2; p++)
            for (var q = p + 1; q < 3; q++)
            {
                double alpha = 0, beta = 0, gamma = 0;
                for (var i = 0; i < 3; i++)
                {
                    alpha += a[i, p] * a[i, p];
                    beta += a[i, q] * a[i, q];
                    gamma += a[i, p] * a[i, q];
                }
                if (gamma == 0 || Math.Abs(gamma) <= 2.3e-16 * Math.Sqrt(alpha * beta)) continue;
                rotated = true;
                var zeta = (beta - alpha) / (2 * gamma);
                var t = (zeta >= 0 ? 1.0 : -1.0) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                var c = 1 / Math.Sqrt(1 + t * t);
                var s = c * t;
                for (var i = 0; i < 3; i++)
                {
                    double ap = a[i, p], aq = a[i, q];
                    a[i, p] = c * ap - s * aq;
                    a[i, q] = s * ap + c * aq;
                    double vp = v[i, p], vq = v[i, q];
                    v[i, p] = c * vp - s * vq;
                    v[i, q] = s * vp + c * vq;
                }
            }
            if (!rotated) break;
        }
        var singular = new double[3];
        var u = new double[3, 3];
        for (var j = 0; j < 3; j++)
        {
            singular[j] = ColumnNorm(a, j);
            if (singular[j] == 0) continue;
            for (var i = 0; i < 3; i++) u[i, j] = a[i, j] / singular[j];
        }
        return (u, singular, v);
    }

    /// <summary>
    /// <c>Σ uⱼ vⱼᵀ</c> over the singular triplets whose singular value exceeds <paramref name="tolerance"/>: for a
    /// full-rank matrix the orthogonal factor of its polar decomposition (the closest rotation or reflection).
    /// </summary>
    public static double[,] OrthogonalFactor(double[,] m, double tolerance)
    {
        var (u, s, v) = Svd(m);
        var result = new double[3, 3];
        for (var j = 0; j < 3; j++)
        {
            if (!(s[j] > tolerance)) continue;
            for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++)
                result[r, c] += u[r, j] * v[c, j];
        }
        return result;
    }
}
