using Pipeline.Core.Metrics;

namespace Pipeline.Tests.Metrics;

public class EuclideanDistanceTransformTests
{
    /// <summary>min over features of Σ (spacing·Δ)², by visiting every pair.</summary>
    private static double[] BruteForce(bool[] features, int[] shape, double[] spacing)
    {
        var coordinates = Enumerable.Range(0, features.Length).Select(index => Unravel(index, shape)).ToArray();
        var sites = coordinates.Where((_, index) => features[index]).ToArray();
        return coordinates.Select(voxel => sites.Length == 0
            ? double.PositiveInfinity
            : sites.Min(site => Enumerable.Range(0, shape.Length).Sum(a => Math.Pow(spacing[a] * (voxel[a] - site[a]), 2)))).ToArray();
    }

    private static int[] Unravel(int index, int[] shape)
    {
        var coordinate = new int[shape.Length];
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            coordinate[a] = index % shape[a];
            index /= shape[a];
        }
        return coordinate;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsPositiveInfinity(expected[i])) Assert.True(double.IsPositiveInfinity(actual[i]), $"voxel {i}: expected +inf, got {actual[i]}");
            else Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * Math.Max(1, expected[i]), $"voxel {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    public static TheoryData<int[], double[], double> RandomGrids => new()
    {
        { [7, 9, 8], [1.0, 1.0, 1.0], 0.05 },
        { [7, 9, 8], [0.7, 1.3, 2.9], 0.05 },
        { [12, 5, 6], [3.0, 0.5, 1.25], 0.01 },
        { [1, 15, 11], [2.0, 0.9, 1.1], 0.03 },
        { [10, 1, 1], [0.35, 1.0, 1.0], 0.2 },
        { [6, 6, 6], [1.5, 1.5, 0.6], 0.5 },
        { [9, 13], [0.8, 2.2], 0.04 },
        { [4, 3, 5, 4], [1.0, 2.0, 0.5, 1.5], 0.03 },
    };

    [Theory]
    [MemberData(nameof(RandomGrids))]
    public void MatchesBruteForceOnRandomFeatures(int[] shape, double[] spacing, double density)
    {
        var random = new Random(shape.Sum() * 31 + (int)(density * 1000));
        int voxels = shape.Aggregate(1, (p, n) => p * n);
        for (int trial = 0; trial < 5; trial++)
        {
            var features = Enumerable.Range(0, voxels).Select(_ => random.NextDouble() < density).ToArray();
            AssertClose(BruteForce(features, shape, spacing), EuclideanDistanceTransform.Squared(features, shape, spacing));
        }
    }

    [Fact]
    public void LargeGridTakesTheParallelPathAndStaysExact()
    {
        // 40·36·30 = 43,200 voxels, above the threshold where lines are spread over threads.
        int[] shape = [40, 36, 30];
        double[] spacing = [0.9, 1.7, 2.3];
        var random = new Random(7);
        var features = new bool[40 * 36 * 30];
        for (int f = 0; f < 25; f++) features[random.Next(features.Length)] = true;
        AssertClose(BruteForce(features, shape, spacing), EuclideanDistanceTransform.Squared(features, shape, spacing));
    }

    [Fact]
    public void NoFeatureGivesInfinityAndAllFeaturesGiveZero()
    {
        int[] shape = [3, 4, 5];
        double[] spacing = [1, 2, 3];
        Assert.All(EuclideanDistanceTransform.Squared(new bool[60], shape, spacing), d => Assert.True(double.IsPositiveInfinity(d)));
        Assert.All(EuclideanDistanceTransform.Squared(Enumerable.Repeat(true, 60).ToArray(), shape, spacing), d => Assert.Equal(0.0, d));
    }

    [Fact]
    public void OneFeatureGivesTheAnisotropicDistanceExactly()
    {
        // Feature at (0, 0, 0); voxel (2, 3, 1) with spacing (0.5, 2, 4): 1² + 6² + 4² = 53.
        var features = new bool[3 * 4 * 2];
        features[0] = true;
        var squared = EuclideanDistanceTransform.Squared(features, [3, 4, 2], [0.5, 2, 4]);
        Assert.Equal(53.0, squared[(2 * 4 + 3) * 2 + 1], 12);
    }

    [Fact]
    public void RejectsMismatchedArguments()
    {
        Assert.Throws<ArgumentException>(() => EuclideanDistanceTransform.Squared(new bool[6], [2, 3], [1.0]));
        Assert.Throws<ArgumentException>(() => EuclideanDistanceTransform.Squared(new bool[6], [2, 3], [1.0, 0.0]));
        Assert.Throws<ArgumentException>(() => EuclideanDistanceTransform.Squared(new bool[5], [2, 3], [1.0, 1.0]));
        Assert.Throws<ArgumentException>(() => EuclideanDistanceTransform.Squared(new bool[0], [0, 3], [1.0, 1.0]));
    }
}
