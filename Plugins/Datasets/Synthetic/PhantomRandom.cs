namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// A small self-contained pseudo-random generator (SplitMix64) for phantom generation. It is ours rather than
/// <see cref="Random"/> so that the bytes of a generated case depend only on the seed and this code, never on the
/// runtime's Random implementation, and each case gets its own stream (loading order does not matter).
/// </summary>
internal sealed class PhantomRandom
{
    private ulong _state;
    private double? _spareGaussian;

    private PhantomRandom(ulong state) => _state = state;

    /// <summary>The stream of case <paramref name="caseIndex"/> of a dataset seeded with <paramref name="seed"/>.</summary>
    public static PhantomRandom ForCase(long seed, int caseIndex)
    {
        // Mix seed and index through the SplitMix finaliser so neighbouring seeds/indices give unrelated streams.
        ulong mixed = Finalise(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ Finalise((ulong)caseIndex + 0x632BE59BD9B4E019UL));
        return new PhantomRandom(mixed);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Finalise(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [<paramref name="low"/>, <paramref name="high"/>] (both inclusive).</summary>
    public int Integer(int low, int high) => low + (int)(NextUInt64() % (ulong)(high - low + 1));

    /// <summary>Standard normal sample (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double Gaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(); // in (0, 1], so the log is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A direction drawn uniformly on the unit sphere.</summary>
    public Point3 UnitVector()
    {
        double z = Uniform(-1.0, 1.0);
        double angle = Uniform(0.0, 2.0 * Math.PI);
        double r = Math.Sqrt(1.0 - z * z);
        return new Point3(z, r * Math.Cos(angle), r * Math.Sin(angle));
    }

    /// <summary>A point drawn uniformly in the ball of <paramref name="radius"/> around the origin.</summary>
    public Point3 InBall(double radius) => radius * Math.Cbrt(NextDouble()) * UnitVector();

    private static ulong Finalise(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
