namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>A point or vector in physical space, in millimetres, ordered like the voxel axes (D, H, W).</summary>
internal readonly record struct Point3(double D, double H, double W)
{
    public static Point3 operator +(Point3 a, Point3 b) => new(a.D + b.D, a.H + b.H, a.W + b.W);
    public static Point3 operator -(Point3 a, Point3 b) => new(a.D - b.D, a.H - b.H, a.W - b.W);
    public static Point3 operator *(double s, Point3 a) => new(s * a.D, s * a.H, s * a.W);

    /// <summary>Dot product.</summary>
    public double Dot(Point3 other) => D * other.D + H * other.H + W * other.W;

    /// <summary>Squared Euclidean length.</summary>
    public double LengthSquared => Dot(this);

    /// <summary>Euclidean length.</summary>
    public double Length => Math.Sqrt(LengthSquared);

    /// <summary>Cross product.</summary>
    public Point3 Cross(Point3 o) => new(H * o.W - W * o.H, W * o.D - D * o.W, D * o.H - H * o.D);

    /// <summary>This vector scaled to unit length.</summary>
    public Point3 Normalized() => (1.0 / Length) * this;
}
