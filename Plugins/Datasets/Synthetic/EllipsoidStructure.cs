namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>A solid ellipsoid with arbitrary orientation (class 1).</summary>
internal sealed class EllipsoidStructure(Point3 centre, Point3 semiAxes, Rotation3 orientation) : IPhantomStructure
{
    public const int Class = 1;

    public int ClassIndex => Class;

    public Point3 Centre { get; } = centre;

    public double BoundingRadius { get; } = Math.Max(semiAxes.D, Math.Max(semiAxes.H, semiAxes.W));

    public bool Contains(Point3 point)
    {
        var local = orientation.ToLocal(point - Centre);
        double a = local.D / semiAxes.D, b = local.H / semiAxes.H, c = local.W / semiAxes.W;
        return a * a + b * b + c * c <= 1.0;
    }

    /// <summary>A random ellipsoid whose semi-axes are fractions of <paramref name="scale"/>.</summary>
    public static EllipsoidStructure Random(PhantomRandom random, Point3 centre, double scale) =>
        new(centre,
            new Point3(scale * random.Uniform(0.2, 0.42), scale * random.Uniform(0.2, 0.42), scale * random.Uniform(0.2, 0.42)),
            Rotation3.Random(random));

}
