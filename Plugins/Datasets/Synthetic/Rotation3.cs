namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>A 3-D rotation stored as its orthonormal basis (the rotated axes), for orienting structures.</summary>
internal readonly record struct Rotation3(Point3 Axis0, Point3 Axis1, Point3 Axis2)
{
    /// <summary>A rotation drawn uniformly over all orientations (from a random unit quaternion).</summary>
    public static Rotation3 Random(PhantomRandom random)
    {
        double w = random.Gaussian(), x = random.Gaussian(), y = random.Gaussian(), z = random.Gaussian();
        double n = Math.Sqrt(w * w + x * x + y * y + z * z);
        w /= n; x /= n; y /= n; z /= n;
        return new Rotation3(
            new Point3(1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)),
            new Point3(2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)),
            new Point3(2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)));
    }

    /// <summary>Coordinates of <paramref name="v"/> in the rotated basis.</summary>
    public Point3 ToLocal(Point3 v) => new(Axis0.Dot(v), Axis1.Dot(v), Axis2.Dot(v));
}
