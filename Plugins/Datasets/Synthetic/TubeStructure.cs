namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// A tube of constant radius around a centre line that is straight or bent (a quadratic Bézier curve), like a vessel
/// (class 2). The curve is approximated by a polyline fine enough that the error is far below a voxel.
/// </summary>
internal sealed class TubeStructure : IPhantomStructure
{
    public const int Class = 2;
    private const int Segments = 24;

    private readonly Point3[] _polyline;
    private readonly double _radiusSquared;

    private TubeStructure(Point3 start, Point3 control, Point3 end, double radius)
    {
        _polyline = new Point3[Segments + 1];
        for (int i = 0; i <= Segments; i++)
        {
            double t = (double)i / Segments, u = 1 - t;
            _polyline[i] = (u * u) * start + (2 * u * t) * control + (t * t) * end;
        }
        _radiusSquared = radius * radius;
        Centre = _polyline[Segments / 2];
        BoundingRadius = _polyline.Max(p => (p - Centre).Length) + radius;
    }

    public int ClassIndex => Class;

    public Point3 Centre { get; }

    public double BoundingRadius { get; }

    public bool Contains(Point3 point)
    {
        for (int i = 0; i < Segments; i++)
            if (DistanceSquaredToSegment(point, _polyline[i], _polyline[i + 1]) <= _radiusSquared)
                return true;
        return false;
    }

    /// <summary>
    /// A random tube centred near <paramref name="centre"/>: length and radius are fractions of
    /// <paramref name="scale"/>; one in three is straight, the others bend sideways by a random amount.
    /// </summary>
    public static TubeStructure Random(PhantomRandom random, Point3 centre, double scale)
    {
        var direction = random.UnitVector();
        double halfLength = 0.5 * scale * random.Uniform(0.9, 1.4);
        // Any unit vector perpendicular to the direction gives the bending plane.
        var side = direction.Cross(random.UnitVector()).Normalized();
        double bend = random.NextDouble() < 1.0 / 3.0 ? 0.0 : scale * random.Uniform(0.15, 0.4);
        var start = centre - halfLength * direction;
        var end = centre + halfLength * direction;
        // The Bézier curve passes half-way to its control point, so the mid point sits bend/2 off the chord.
        var control = centre + bend * side;
        return new TubeStructure(start, control, end, scale * random.Uniform(0.09, 0.15));
    }


    private static double DistanceSquaredToSegment(Point3 p, Point3 a, Point3 b)
    {
        var ab = b - a;
        double t = Math.Clamp((p - a).Dot(ab) / ab.LengthSquared, 0.0, 1.0);
        return (p - (a + t * ab)).LengthSquared;
    }
}
