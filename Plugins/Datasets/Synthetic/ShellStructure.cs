namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// A hollow sphere (class 3). Its interior keeps the surrounding tissue's label and intensity, so telling a shell
/// from a solid ellipsoid of similar brightness needs shape context, not intensity alone.
/// </summary>
internal sealed class ShellStructure(Point3 centre, double outerRadius, double thickness) : IPhantomStructure
{
    public const int Class = 3;
    private readonly double _outerSquared = outerRadius * outerRadius;
    private readonly double _innerSquared = (outerRadius - thickness) * (outerRadius - thickness);

    public int ClassIndex => Class;

    public Point3 Centre { get; } = centre;

    public double BoundingRadius { get; } = outerRadius;

    public bool Contains(Point3 point)
    {
        double r2 = (point - Centre).LengthSquared;
        return r2 <= _outerSquared && r2 >= _innerSquared;
    }

    /// <summary>A random shell whose radius is a fraction of <paramref name="scale"/>; the wall is 30–45 % of it.</summary>
    public static ShellStructure Random(PhantomRandom random, Point3 centre, double scale)
    {
        double outer = scale * random.Uniform(0.28, 0.42);
        return new ShellStructure(centre, outer, outer * random.Uniform(0.30, 0.45));
    }

}
