namespace Pipeline.Core.Metrics;

/// <summary>
/// The surface of a 3-D mask as voxels: a voxel of the mask is on the surface when at least one of its six face
/// neighbours is outside the mask or outside the grid. This is <c>mask XOR binary_erosion(mask)</c> with SciPy's
/// default structuring element (face connectivity) and border value 0, which is what MONAI's <c>get_mask_edges</c>
/// uses for Hausdorff and surface Dice when sub-voxel surfaces are off (its default).
/// </summary>
public static class SurfaceVoxels
{
    /// <summary>The surface voxels of <paramref name="mask"/>.</summary>
    /// <param name="mask">Row-major mask of <paramref name="shape"/> (last axis fastest).</param>
    /// <param name="shape">The three axis lengths.</param>
    /// <param name="count">How many surface voxels there are.</param>
    /// <returns>A mask of the same shape, true on surface voxels.</returns>
    public static bool[] Of(ReadOnlySpan<bool> mask, IReadOnlyList<int> shape, out long count)
    {
        if (shape.Count != 3 || shape.Any(n => n < 1))
            throw new ArgumentException($"Surface voxels need a 3-D shape with positive axes, got [{string.Join(", ", shape)}].", nameof(shape));
        int n0 = shape[0], n1 = shape[1], n2 = shape[2];
        if (mask.Length != (long)n0 * n1 * n2)
            throw new ArgumentException($"The mask has {mask.Length} voxels but the shape [{n0}, {n1}, {n2}] needs {(long)n0 * n1 * n2}.", nameof(mask));

        var surface = new bool[mask.Length];
        int stride0 = n1 * n2, stride1 = n2;
        count = 0;
        for (int i = 0; i < n0; i++)
        for (int j = 0; j < n1; j++)
        {
            int row = i * stride0 + j * stride1;
            for (int k = 0; k < n2; k++)
            {
                int index = row + k;
                if (!mask[index]) continue;
                // Outside the grid counts as background, so voxels on the grid's faces are always on the surface.
                bool onSurface =
                    i == 0 || i == n0 - 1 || !mask[index - stride0] || !mask[index + stride0] ||
                    j == 0 || j == n1 - 1 || !mask[index - stride1] || !mask[index + stride1] ||
                    k == 0 || k == n2 - 1 || !mask[index - 1] || !mask[index + 1];
                if (onSurface)
                {
                    surface[index] = true;
                    count++;
                }
            }
        }
        return surface;
    }
}
