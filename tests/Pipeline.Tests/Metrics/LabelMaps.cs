namespace Pipeline.Tests.Metrics;

/// <summary>Builds small row-major label maps [n0, n1, n2] (last axis fastest) with shapes of known geometry.</summary>
internal static class LabelMaps
{
    public static long Index(int[] shape, int i, int j, int k) => ((long)i * shape[1] + j) * shape[2] + k;

    public static long[] Empty(int[] shape) => new long[shape[0] * shape[1] * shape[2]];

    /// <summary>Sets the half-open box [low, high) to <paramref name="label"/>.</summary>
    public static long[] Box(this long[] map, int[] shape, int[] low, int[] high, long label)
    {
        for (int i = low[0]; i < high[0]; i++)
        for (int j = low[1]; j < high[1]; j++)
        for (int k = low[2]; k < high[2]; k++)
            map[Index(shape, i, j, k)] = label;
        return map;
    }

    /// <summary>Sets every voxel whose centre lies within <paramref name="radiusMm"/> of <paramref name="centreMm"/>.</summary>
    public static long[] Sphere(this long[] map, int[] shape, double[] spacing, double[] centreMm, double radiusMm, long label)
    {
        for (int i = 0; i < shape[0]; i++)
        for (int j = 0; j < shape[1]; j++)
        for (int k = 0; k < shape[2]; k++)
        {
            double di = i * spacing[0] - centreMm[0], dj = j * spacing[1] - centreMm[1], dk = k * spacing[2] - centreMm[2];
            if (di * di + dj * dj + dk * dk <= radiusMm * radiusMm) map[Index(shape, i, j, k)] = label;
        }
        return map;
    }

    /// <summary>Sets the voxels of an ellipsoid with semi-axes in voxels, tested in integers as monai_reference.py does, so both agree exactly.</summary>
    public static long[] Ellipsoid(this long[] map, int[] shape, int[] centre, int[] axes, long label)
    {
        long a = axes[0], b = axes[1], c = axes[2];
        for (int i = 0; i < shape[0]; i++)
        for (int j = 0; j < shape[1]; j++)
        for (int k = 0; k < shape[2]; k++)
        {
            long di = i - centre[0], dj = j - centre[1], dk = k - centre[2];
            if (di * di * b * b * c * c + dj * dj * a * a * c * c + dk * dk * a * a * b * b <= a * a * b * b * c * c)
                map[Index(shape, i, j, k)] = label;
        }
        return map;
    }

    /// <summary>Sets voxels of a random sub-box to <paramref name="label"/> with probability <paramref name="density"/>.</summary>
    public static long[] RandomBlob(this long[] map, int[] shape, Random random, long label, double density)
    {
        int[] low = new int[3], high = new int[3];
        for (int a = 0; a < 3; a++)
        {
            low[a] = random.Next(0, shape[a] - 1);
            high[a] = random.Next(low[a] + 1, shape[a] + 1);
        }
        for (int i = low[0]; i < high[0]; i++)
        for (int j = low[1]; j < high[1]; j++)
        for (int k = low[2]; k < high[2]; k++)
            if (random.NextDouble() < density) map[Index(shape, i, j, k)] = label;
        return map;
    }
}
