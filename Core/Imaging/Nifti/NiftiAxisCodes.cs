namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// Orientation of the voxel axes relative to RAS+ world axes, as nibabel's <c>io_orientation</c> and
/// <c>aff2axcodes</c> compute it: the columns of the 3×3 part are normalised, shears are removed by the polar
/// decomposition (the closest orthogonal matrix, via SVD, dropping singular values below
/// <c>max(S) · 3 · ε</c>), and then each voxel axis in turn takes the world axis with the largest absolute component,
/// which is removed from consideration for the following axes. Codes use the letter of the direction the index
/// increases towards: R/L, A/P, S/I (e.g. <c>RAS</c>, <c>LSA</c>); a voxel axis with no world direction is <c>?</c>.
/// </summary>
public static class NiftiAxisCodes
{
    private static readonly (char Negative, char Positive)[] Labels = [('L', 'R'), ('P', 'A'), ('I', 'S')];

    /// <summary>
    /// For each voxel axis i, j, k: the world axis it runs along (0 = x, 1 = y, 2 = z) and the direction (+1 or −1),
    /// or null when the axis has no world direction (a rank-deficient affine).
    /// </summary>
    public static (int WorldAxis, int Direction)?[] Orientation(AffineMatrix affine)
    {
        var m = Matrix3.Linear(affine);
        for (var col = 0; col < 3; col++)
        {
            var zoom = Matrix3.ColumnNorm(m, col);
            if (zoom == 0) continue;
            for (var r = 0; r < 3; r++) m[r, col] /= zoom;
        }
        var (_, singular, _) = Matrix3.Svd(m);
        var tolerance = singular.Max() * 3 * 2.220446049250313e-16; // numpy: S.max() * max(RS.shape) * eps
        var rotation = Matrix3.OrthogonalFactor(m, tolerance);
        var result = new (int, int)?[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var column = new[] { rotation[0, axis], rotation[1, axis], rotation[2, axis] };
            // numpy.allclose(col, 0): every |value| ≤ 1e-8.
            if (column.All(v => Math.Abs(v) <= 1e-8)) continue;
            var world = 0;
            for (var r = 1; r < 3; r++)
                if (Math.Abs(column[r]) > Math.Abs(column[world])) world = r;
            result[axis] = (world, column[world] < 0 ? -1 : 1);
            for (var c = 0; c < 3; c++) rotation[world, c] = 0;
        }
        return result;
    }

    /// <summary>The three-letter code, e.g. <c>RAS</c> or <c>LSA</c> (<c>?</c> for an axis without direction).</summary>
    public static string FromAffine(AffineMatrix affine) =>
        new(Orientation(affine).Select(o => o is { } axis ? (axis.Direction > 0 ? Labels[axis.WorldAxis].Positive : Labels[axis.WorldAxis].Negative) : '?').ToArray());
}
