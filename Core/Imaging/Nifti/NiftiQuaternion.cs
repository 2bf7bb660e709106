namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// The qform: conversions between an affine and the NIfTI quaternion representation (<c>quatern_b/c/d</c>,
/// <c>qfac</c> in <c>pixdim[0]</c>, voxel sizes in <c>pixdim[1..3]</c>, <c>qoffset_x/y/z</c>), following nibabel's
/// <c>get_qform</c> and <c>set_qform</c>.
/// </summary>
public static class NiftiQuaternion
{
    /// <summary>
    /// The largest amount by which b² + c² + d² may exceed 1 and still be read as a unit quaternion with w = 0
    /// (nibabel's <c>quaternion_threshold</c>: three float32 epsilons, because the values are stored as float32).
    /// </summary>
    public const double UnitTolerance = 3 * 1.1920928955078125e-07;

    /// <summary>
    /// The qform affine: rotation from the quaternion (w = √(1 − b² − c² − d²)) times diag(pixdim1, pixdim2,
    /// qfac · pixdim3), translation (qoffset_x, qoffset_y, qoffset_z).
    /// </summary>
    /// <exception cref="ArgumentException">b² + c² + d² exceeds 1 by more than <see cref="UnitTolerance"/>.</exception>
    public static double[] ToAffine(double b, double c, double d, double qfac, double dx, double dy, double dz, double ox, double oy, double oz)
    {
        var norm2 = b * b + c * c + d * d;
        var w2 = 1.0 - norm2;
        if (w2 < -UnitTolerance)
            throw new ArgumentException($"quatern_b² + quatern_c² + quatern_d² = {norm2:R} exceeds 1; it is not a unit quaternion");
        var w = w2 < 0 ? 0 : Math.Sqrt(w2);
        var rotation = Rotation(w, b, c, d);
        var zooms = new[] { dx, dy, dz * qfac };
        var affine = new double[16];
        for (var r = 0; r < 3; r++)
        for (var col = 0; col < 3; col++)
            affine[r * 4 + col] = rotation[r, col] * zooms[col];
        affine[3] = ox;
        affine[7] = oy;
        affine[11] = oz;
        affine[15] = 1;
        return affine;
    }

    /// <summary>
    /// Splits an affine into qform parameters like nibabel's <c>set_qform</c>: voxel sizes are the column norms,
    /// <c>qfac</c> is −1 when the normalised matrix has a negative determinant (its third column is then negated),
    /// shears are dropped by taking the closest rotation (polar decomposition), and the quaternion has w ≥ 0.
    /// </summary>
    /// <returns>
    /// The quaternion (b, c, d), qfac, voxel sizes, offsets, and whether the affine has shears (its normalised
    /// 3×3 part differs from the closest rotation by more than numpy's <c>allclose</c> tolerances, as nibabel's
    /// <c>strip_shears</c> check), in which case the qform only approximates it.
    /// </returns>
    /// <exception cref="ArgumentException">A column of the 3×3 part is zero (the affine is singular).</exception>
    public static (double B, double C, double D, double QFac, double[] Zooms, double[] Offset, bool HasShear) FromAffine(AffineMatrix affine)
    {
        var m = Matrix3.Linear(affine);
        var zooms = new double[3];
        for (var col = 0; col < 3; col++)
        {
            zooms[col] = Matrix3.ColumnNorm(m, col);
            if (zooms[col] == 0)
                throw new ArgumentException($"affine column {col} is zero, so voxel axis {"ijk"[col]} has no direction; a qform cannot represent it: {affine}");
            for (var r = 0; r < 3; r++) m[r, col] /= zooms[col];
        }
        double qfac = 1;
        if (Matrix3.Determinant(m) <= 0)
        {
            qfac = -1;
            for (var r = 0; r < 3; r++) m[r, 2] = -m[r, 2];
        }
        var rotation = Matrix3.OrthogonalFactor(m, 0);
        var hasShear = false;
        for (var r = 0; r < 3; r++)
        for (var col = 0; col < 3; col++)
            hasShear |= Math.Abs(rotation[r, col] - m[r, col]) > 1e-8 + 1e-5 * Math.Abs(m[r, col]);
        var (_, b, c, d) = FromRotation(rotation);
        return (b, c, d, qfac, zooms, affine.Origin(), hasShear);
    }

    /// <summary>
    /// The quaternion (b, c, d) rounded to float32 for a NIfTI-1 header. Near a 180° rotation (w below 10⁻⁴, which
    /// includes every axis permutation with flips such as LSA or LPS), plain rounding can leave b² + c² + d²
    /// slightly below 1, and readers then compute w = √(1 − b² − c² − d²) ≈ 3·10⁻⁴ instead of 0, tilting the axes by
    /// about 0.03°. There the largest component is nudged outwards by float32 steps until b² + c² + d² ≥ 1 (still
    /// within <see cref="UnitTolerance"/>), so readers get w = 0.
    /// </summary>
    public static (float B, float C, float D) ToFloat32(double b, double c, double d)
    {
        var q = new[] { (float)b, (float)c, (float)d };
        var w2 = 1 - (b * b + c * c + d * d);
        if (w2 >= 1e-8) return (q[0], q[1], q[2]);
        var largest = Enumerable.Range(0, 3).MaxBy(n => Math.Abs(q[n]));
        for (var step = 0; step < 16 && SumOfSquares(q) < 1; step++)
            q[largest] = q[largest] >= 0 ? MathF.BitIncrement(q[largest]) : MathF.BitDecrement(q[largest]);
        return (q[0], q[1], q[2]);
    }

    private static double SumOfSquares(float[] q) => (double)q[0] * q[0] + (double)q[1] * q[1] + (double)q[2] * q[2];

    /// <summary>Rotation matrix of the quaternion (w, x, y, z), normalising it first (nibabel's <c>quat2mat</c>).</summary>
    private static double[,] Rotation(double w, double x, double y, double z)
    {
        var n = w * w + x * x + y * y + z * z;
        if (n < 2.220446049250313e-16) return new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        var s = 2.0 / n;
        double X = x * s, Y = y * s, Z = z * s;
        double wX = w * X, wY = w * Y, wZ = w * Z;
        double xX = x * X, xY = x * Y, xZ = x * Z;
        double yY = y * Y, yZ = y * Z, zZ = z * Z;
        return new double[3, 3]
        {
            { 1.0 - (yY + zZ), xY - wZ, xZ + wY },
            { xY + wZ, 1.0 - (xX + zZ), yZ - wX },
            { xZ - wY, yZ + wX, 1.0 - (xX + yY) },
        };
    }

    /// <summary>The unit quaternion (w ≥ 0) of a rotation matrix, by the branch of Shepperd's method that avoids cancellation.</summary>
    private static (double W, double X, double Y, double Z) FromRotation(double[,] m)
    {
        double w, x, y, z;
        var trace = m[0, 0] + m[1, 1] + m[2, 2];
        if (trace > 0)
        {
            var s = 2 * Math.Sqrt(trace + 1);
            w = s / 4;
            x = (m[2, 1] - m[1, 2]) / s;
            y = (m[0, 2] - m[2, 0]) / s;
            z = (m[1, 0] - m[0, 1]) / s;
        }
        else if (m[0, 0] > m[1, 1] && m[0, 0] > m[2, 2])
        {
            var s = 2 * Math.Sqrt(1 + m[0, 0] - m[1, 1] - m[2, 2]);
            w = (m[2, 1] - m[1, 2]) / s;
            x = s / 4;
            y = (m[0, 1] + m[1, 0]) / s;
            z = (m[0, 2] + m[2, 0]) / s;
        }
        else if (m[1, 1] > m[2, 2])
        {
            var s = 2 * Math.Sqrt(1 + m[1, 1] - m[0, 0] - m[2, 2]);
            w = (m[0, 2] - m[2, 0]) / s;
            x = (m[0, 1] + m[1, 0]) / s;
            y = s / 4;
            z = (m[1, 2] + m[2, 1]) / s;
        }
        else
        {
            var s = 2 * Math.Sqrt(1 + m[2, 2] - m[0, 0] - m[1, 1]);
            w = (m[1, 0] - m[0, 1]) / s;
            x = (m[0, 2] + m[2, 0]) / s;
            y = (m[1, 2] + m[2, 1]) / s;
            z = s / 4;
        }
        var norm = Math.Sqrt(w * w + x * x + y * y + z * z);
        var sign = w < 0 ? -1 : 1;
        return (sign * w / norm, sign * x / norm, sign * y / norm, sign * z / norm);
    }
}
