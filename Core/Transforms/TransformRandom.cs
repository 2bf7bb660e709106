namespace Pipeline.Core.Transforms;

/// <summary>
/// The random source of the transforms: xoshiro256** seeded through SplitMix64, implemented here so the sequence for
/// a seed is fixed by this code alone (not by the .NET version, <see cref="Random"/>'s algorithm, torch's global
/// generator or the thread). An instance is not thread-safe; give each thread or sample its own, e.g. with
/// <see cref="ForStream"/>, which derives independent streams from one seed.
/// </summary>
public sealed class TransformRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    public TransformRandom(long seed)
    {
        var mixer = unchecked((ulong)seed);
        _s0 = SplitMix64(ref mixer);
        _s1 = SplitMix64(ref mixer);
        _s2 = SplitMix64(ref mixer);
        _s3 = SplitMix64(ref mixer);
    }

    /// <summary>
    /// A generator for stream <paramref name="stream"/> of <paramref name="seed"/>, e.g. (seed, transform index,
    /// sample index): each part is mixed in with SplitMix64, so streams that differ in any part are unrelated, and the
    /// same parts always give the same stream.
    /// </summary>
    public static TransformRandom ForStream(long seed, params long[] stream)
    {
        var state = unchecked((ulong)seed);
        var mixed = SplitMix64(ref state);
        foreach (var part in stream)
        {
            state = mixed ^ unchecked((ulong)part * 0xD1B54A32D192ED03UL);
            mixed = SplitMix64(ref state);
        }
        return new TransformRandom(unchecked((long)mixed));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>True with probability <paramref name="probability"/> (always false at 0, always true at 1).</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A uniform integer in [0, <paramref name="count"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public long NextLong(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var range = (ulong)count;
        // Reject the top partial block of 2^64 so every value is equally likely.
        var limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong value;
        do value = NextUInt64(); while (value >= limit);
        return (long)(value % range);
    }

    /// <summary>A uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)NextLong(count);

    /// <summary>A seed for a torch <c>Generator</c> (bulk draws such as noise fields), taken from this sequence.</summary>
    public long NextSeed() => unchecked((long)NextUInt64());

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));

    private static ulong SplitMix64(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
