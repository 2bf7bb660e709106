using Pipeline.Core.Metrics;

namespace Pipeline.Tests.Metrics;

public class PercentileTests
{
    [Fact]
    public void SmallKnownCases()
    {
        // Linear interpolation between ranks: h = (n − 1)·p/100.
        Assert.Equal(2.5, Percentile.Of([4.0, 1.0, 3.0, 2.0], 50));
        Assert.Equal(1.0, Percentile.Of([4.0, 1.0, 3.0, 2.0], 0));
        Assert.Equal(4.0, Percentile.Of([4.0, 1.0, 3.0, 2.0], 100));
        Assert.Equal(3.85, Percentile.Of([4.0, 1.0, 3.0, 2.0], 95), 12); // h = 2.85 → 3 + 0.85·1
        Assert.Equal(7.0, Percentile.Of([7.0], 95));
        Assert.Throws<ArgumentException>(() => Percentile.Of([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of([1.0], 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of([1.0], double.NaN));
        Assert.Throws<ArgumentException>(() => Percentile.Of([1.0, double.NaN], 50));
    }

    [Fact]
    public void MatchesNumPyPercentileExactly()
    {
        // Random samples of several sizes (with ties, as surface distances have) against np.percentile's default method.
        var random = new Random(20240607);
        double[] percents = [0, 5, 25, 50, 73.3, 95, 99, 99.9, 100];
        var samples = new List<double[]>();
        foreach (int n in new[] { 1, 2, 3, 10, 19, 20, 21, 100, 487, 1001 })
        {
            samples.Add(Enumerable.Range(0, n).Select(_ => random.NextDouble() * 50).ToArray());
            samples.Add(Enumerable.Range(0, n).Select(_ => Math.Sqrt(random.Next(0, 30))).ToArray());
        }
        // Input: one line per (sample, percent): "percent v1 v2 ...".
        var lines = samples.SelectMany(sample => percents.Select(p =>
            NumPyReference.Format(p) + " " + string.Join(' ', sample.Select(NumPyReference.Format)))).ToList();
        const string script = """
            import sys, numpy as np
            for line in sys.stdin:
                fields = [float(x) for x in line.split()]
                print(repr(float(np.percentile(np.array(fields[1:]), fields[0]))))
            """;
        var expected = NumPyReference.Run(script, lines);
        Assert.Equal(lines.Count, expected.Length);
        int row = 0;
        foreach (var sample in samples)
            foreach (double p in percents)
            {
                double actual = Percentile.Of(sample, p);
                Assert.True(expected[row] == actual, $"n = {sample.Length}, p = {p}: numpy {expected[row]:R}, ours {actual:R}");
                row++;
            }
    }
}
