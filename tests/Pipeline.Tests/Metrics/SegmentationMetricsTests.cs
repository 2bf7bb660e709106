using System.Diagnostics;
using Pipeline.Core.Metrics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Tests.Metrics;

public class SegmentationMetricsTests(ITestOutputHelper output)
{
    private static ClassMetrics One(long[] prediction, long[] reference, int[] shape, double[] spacing, MetricOptions? options = null, long label = 1) =>
        SegmentationMetrics.Compute(prediction, reference, shape, spacing, [label], options).Single();

    [Fact]
    public void IdenticalMasksScorePerfectly()
    {
        int[] shape = [12, 10, 9];
        var map = LabelMaps.Empty(shape).Sphere(shape, [1, 1, 1], [6, 5, 4], 3.5, 1).Box(shape, [0, 0, 0], [3, 2, 9], 1);
        var result = One(map, (long[])map.Clone(), shape, [0.7, 1.1, 2.5], new MetricOptions { NsdToleranceMm = 0 });
        Assert.Equal(1.0, result.Dice);
        Assert.Equal(0.0, result.Hd95Mm);
        Assert.Equal(1.0, result.Nsd);
        Assert.Equal(result.ReferenceSurfaceVoxels, result.PredictionSurfaceVoxels);
        Assert.Equal(map.LongCount(v => v == 1), result.IntersectionVoxels);
    }

    public static TheoryData<int, int> AxesAndShifts => new() { { 0, 1 }, { 0, 3 }, { 1, 2 }, { 2, 1 }, { 2, 3 } };

    [Theory]
    [MemberData(nameof(AxesAndShifts))]
    public void CubeShiftedAlongOneAxisHasHd95OfTheShiftInMillimetres(int axis, int shift)
    {
        // An 8³ cube and the same cube moved by s voxels along one axis. Every surface voxel is within s·w of the other
        // surface, and the whole leading face (64 of the 296 surface voxels, over 5 %) is exactly s·w away: HD95 = s·w.
        // Dice = overlap / size = (8 − s) / 8.
        int[] shape = [20, 20, 20];
        double[] spacing = [0.8, 1.5, 2.5];
        int[] low = [4, 4, 4], high = [12, 12, 12];
        var reference = LabelMaps.Empty(shape).Box(shape, low, high, 1);
        low[axis] += shift;
        high[axis] += shift;
        var prediction = LabelMaps.Empty(shape).Box(shape, low, high, 1);
        double expected = shift * spacing[axis];

        var result = One(prediction, reference, shape, spacing, new MetricOptions { NsdToleranceMm = expected + 1e-9 });
        Assert.Equal(expected, result.Hd95Mm, 9);
        Assert.Equal((8.0 - shift) / 8, result.Dice, 12);
        Assert.Equal(1.0, result.Nsd);
        Assert.Equal(296, result.ReferenceSurfaceVoxels);

        // Just under the shift, the leading faces drop out; the brute force says by how much.
        double tolerance = expected - 1e-9;
        var strict = One(prediction, reference, shape, spacing, new MetricOptions { NsdToleranceMm = tolerance });
        var brute = BruteForceMetrics.Compute(prediction, reference, shape, spacing, 1, tolerance, EmptyReferencePolicy.Score);
        Assert.True(strict.Nsd < 1);
        Assert.Equal(brute.Nsd, strict.Nsd, 12);
        Assert.Equal(brute.Hd95, result.Hd95Mm, 9);
    }

    [Theory]
    [InlineData(1.0, 1.0, 1.0, 5.0, 8.0)]
    [InlineData(0.8, 1.0, 1.5, 6.0, 9.0)]
    public void SphereAgainstALargerSphereHasHd95NearTheRadiusDifference(double s0, double s1, double s2, double inner, double outer)
    {
        double[] spacing = [s0, s1, s2];
        int[] shape = spacing.Select(s => (int)Math.Ceiling((2 * outer + 4) / s)).ToArray();
        double[] centre = shape.Select((n, a) => (n - 1) * spacing[a] / 2).ToArray();
        var reference = LabelMaps.Empty(shape).Sphere(shape, spacing, centre, inner, 1);
        var prediction = LabelMaps.Empty(shape).Sphere(shape, spacing, centre, outer, 1);

        var result = One(prediction, reference, shape, spacing, new MetricOptions { NsdToleranceMm = 1.0 });
        var brute = BruteForceMetrics.Compute(prediction, reference, shape, spacing, 1, 1.0, EmptyReferencePolicy.Score);
        output.WriteLine($"spacing [{s0}, {s1}, {s2}], radii {inner} and {outer} mm: HD95 {result.Hd95Mm:F4} mm, NSD@1mm {result.Nsd:F4}");
        // Voxelised spheres: the surface voxels sit within one voxel of the ideal sphere.
        Assert.InRange(result.Hd95Mm, outer - inner - spacing.Max(), outer - inner + spacing.Max());
        Assert.Equal(brute.Hd95, result.Hd95Mm, 9);
        Assert.Equal(brute.Nsd, result.Nsd, 12);
        Assert.Equal(brute.Dice, result.Dice, 12);
    }

    [Fact]
    public void DisjointSingleVoxels()
    {
        // One voxel each, 7 steps apart along an axis of spacing 2 mm: every distance is 14 mm.
        int[] shape = [5, 5, 12];
        double[] spacing = [1, 1, 2];
        var reference = LabelMaps.Empty(shape).Box(shape, [2, 2, 2], [3, 3, 3], 1);
        var prediction = LabelMaps.Empty(shape).Box(shape, [2, 2, 9], [3, 3, 10], 1);
        var result = One(prediction, reference, shape, spacing);
        Assert.Equal(0.0, result.Dice);
        Assert.Equal(14.0, result.Hd95Mm, 12);
        Assert.Equal(0.0, result.Nsd);
        Assert.Equal(1.0, One(prediction, reference, shape, spacing, new MetricOptions { NsdToleranceMm = 14 }).Nsd);
        Assert.Equal(0.0, One(prediction, reference, shape, spacing, new MetricOptions { NsdToleranceMm = 13.99 }).Nsd);
    }

    public static TheoryData<EmptyReferencePolicy, bool, bool, double> EmptyCases => new()
    {
        // policy, reference empty, prediction empty, Dice and NSD
        { EmptyReferencePolicy.Score, true, true, 1.0 },
        { EmptyReferencePolicy.Score, true, false, 0.0 },
        { EmptyReferencePolicy.Score, false, true, 0.0 },
        { EmptyReferencePolicy.Ignore, true, true, double.NaN },
        { EmptyReferencePolicy.Ignore, true, false, double.NaN },
        { EmptyReferencePolicy.Ignore, false, true, 0.0 },
        { EmptyReferencePolicy.IgnoreWhenBothEmpty, true, true, double.NaN },
        { EmptyReferencePolicy.IgnoreWhenBothEmpty, true, false, 0.0 },
        { EmptyReferencePolicy.IgnoreWhenBothEmpty, false, true, 0.0 },
    };

    [Theory]
    [MemberData(nameof(EmptyCases))]
    public void EmptyMasksFollowThePolicy(EmptyReferencePolicy policy, bool referenceEmpty, bool predictionEmpty, double expected)
    {
        int[] shape = [6, 6, 6];
        var cube = LabelMaps.Empty(shape).Box(shape, [1, 1, 1], [4, 4, 4], 1);
        var reference = referenceEmpty ? LabelMaps.Empty(shape) : cube;
        var prediction = predictionEmpty ? LabelMaps.Empty(shape) : cube;
        var result = One(prediction, reference, shape, [1, 1, 1], new MetricOptions { EmptyReference = policy });
        Assert.Equal(expected, result.Dice);
        Assert.Equal(expected, result.Nsd);
        Assert.True(double.IsNaN(result.Hd95Mm));
        Assert.Equal(referenceEmpty, result.ReferenceEmpty);
        Assert.Equal(predictionEmpty, result.PredictionEmpty);
        Assert.Equal(referenceEmpty ? 0 : 26, result.ReferenceSurfaceVoxels);
        Assert.Equal(predictionEmpty ? 0 : 26, result.PredictionSurfaceVoxels);
    }

    [Fact]
    public void SeveralClassesAreScoredIndependentlyInTheGivenOrder()
    {
        int[] shape = [14, 12, 10];
        double[] spacing = [1.2, 0.9, 2.0];
        var reference = LabelMaps.Empty(shape).Box(shape, [1, 1, 1], [6, 6, 5], 1).Box(shape, [8, 2, 2], [13, 9, 8], 3)
                                              .Box(shape, [1, 8, 6], [4, 11, 9], 5);
        var prediction = LabelMaps.Empty(shape).Box(shape, [2, 1, 1], [7, 6, 5], 1).Box(shape, [8, 3, 2], [12, 9, 9], 3)
                                               .Box(shape, [9, 0, 0], [11, 2, 1], 5);
        long[] labels = [3, 1, 7];
        var options = new MetricOptions { NsdToleranceMm = 1.0, NsdToleranceMmByLabel = new Dictionary<long, double> { [3] = 2.5 } };
        var results = SegmentationMetrics.Compute(prediction, reference, shape, spacing, labels, options);

        Assert.Equal(labels, results.Select(r => r.Label));
        foreach (var result in results)
        {
            // Each class alone, as a binary map, gives the same numbers; label 5 (not listed) changes nothing.
            long[] Binary(long[] map) => map.Select(v => v == result.Label ? 1L : 0L).ToArray();
            var alone = One(Binary(prediction), Binary(reference), shape, spacing,
                            options with { NsdToleranceMmByLabel = new Dictionary<long, double>(), NsdToleranceMm = result.NsdToleranceMm });
            Assert.Equal(alone with { Label = result.Label }, result);
        }
        Assert.Equal(2.5, results[0].NsdToleranceMm);
        Assert.Equal(1.0, results[1].NsdToleranceMm);
        Assert.True(results[2].ReferenceEmpty && results[2].PredictionEmpty);
        Assert.Equal(1.0, results[2].Dice);
    }

    public static TheoryData<int, double[]> RandomCases => new()
    {
        { 1, [1.0, 1.0, 1.0] },
        { 2, [0.6, 1.4, 3.0] },
        { 3, [2.0, 0.75, 1.1] },
        { 4, [1.0, 1.0, 5.0] },
    };

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void RandomMasksMatchTheBruteForce(int seed, double[] spacing)
    {
        var random = new Random(seed);
        int[] shape = [9, 8, 7];
        for (int trial = 0; trial < 4; trial++)
        {
            var reference = LabelMaps.Empty(shape).RandomBlob(shape, random, 1, 0.6).RandomBlob(shape, random, 2, 0.7);
            var prediction = LabelMaps.Empty(shape).RandomBlob(shape, random, 1, 0.6).RandomBlob(shape, random, 2, 0.5);
            foreach (double tolerance in new[] { 0.0, 1.2345, 2.71828 })
            {
                var results = SegmentationMetrics.Compute(prediction, reference, shape, spacing, [1, 2],
                                                          new MetricOptions { NsdToleranceMm = tolerance });
                foreach (var result in results)
                {
                    var brute = BruteForceMetrics.Compute(prediction, reference, shape, spacing, result.Label, tolerance, EmptyReferencePolicy.Score);
                    Assert.Equal(brute.Dice, result.Dice, 12);
                    Assert.Equal(brute.Hd95, result.Hd95Mm, 9);
                    Assert.Equal(brute.Nsd, result.Nsd, 12);
                    Assert.Equal(BruteForceMetrics.Surface(reference, shape, result.Label).Count, result.ReferenceSurfaceVoxels);
                    Assert.Equal(BruteForceMetrics.Surface(prediction, shape, result.Label).Count, result.PredictionSurfaceVoxels);
                }
            }
        }
    }

    [Fact]
    public void MatchesMonaiPipelineOnFixedShapes()
    {
        // The numbers come from monai_reference.py (next to this file): MONAI's pipeline without sub-voxels, i.e. SciPy
        // binary_erosion edges, distance_transform_edt(sampling=spacing) and np.percentile, on the same two label maps.
        // They are hard-coded because CI has NumPy but not necessarily SciPy; rerun the script to check them.
        int[] shape = [20, 24, 16];
        double[] spacing = [0.9, 1.3, 2.1];
        var reference = LabelMaps.Empty(shape).Ellipsoid(shape, [10, 12, 8], [6, 8, 5], 1).Box(shape, [1, 2, 0], [6, 20, 5], 2);
        var prediction = LabelMaps.Empty(shape).Ellipsoid(shape, [11, 10, 9], [7, 7, 5], 1).Box(shape, [2, 1, 0], [7, 18, 6], 2)
                                               .Box(shape, [16, 19, 12], [19, 23, 16], 2);
        // label, Dice, HD95, NSD at 1.5 mm, NSD at 3 mm, reference edge voxels, prediction edge voxels
        (long, double, double, double, double, long, long)[] monai =
        [
            (1, 0.7138584247258225, 3.461213659975356, 0.44576719576719576, 0.9166666666666666, 374, 382),
            (2, 0.6349206349206349, 23.42477569062993, 0.7352941176470589, 0.9352941176470588, 306, 374),
        ];
        var at15 = SegmentationMetrics.Compute(prediction, reference, shape, spacing, [1, 2], new MetricOptions { NsdToleranceMm = 1.5 });
        var at3 = SegmentationMetrics.Compute(prediction, reference, shape, spacing, [1, 2], new MetricOptions { NsdToleranceMm = 3.0 });
        for (int c = 0; c < 2; c++)
        {
            var (label, dice, hd95, nsd15, nsd3, referenceEdges, predictionEdges) = monai[c];
            Assert.Equal(label, at15[c].Label);
            Assert.Equal(dice, at15[c].Dice, 12);
            Assert.Equal(hd95, at15[c].Hd95Mm, 9);
            Assert.Equal(nsd15, at15[c].Nsd, 12);
            Assert.Equal(nsd3, at3[c].Nsd, 12);
            Assert.Equal(referenceEdges, at15[c].ReferenceSurfaceVoxels);
            Assert.Equal(predictionEdges, at15[c].PredictionSurfaceVoxels);
        }
    }

    [Fact]
    public void TensorsOfAnyIntegerTypeAndAChannelAxisAreAccepted()
    {
        using var scope = NewDisposeScope();
        int[] shape = [6, 7, 8];
        var referenceMap = LabelMaps.Empty(shape).Box(shape, [1, 1, 1], [5, 5, 5], 2);
        var predictionMap = LabelMaps.Empty(shape).Box(shape, [1, 2, 1], [5, 6, 5], 2);
        double[] spacing = [1.5, 2.0, 0.5];
        var expected = One(predictionMap, referenceMap, shape, spacing, label: 2);

        var reference = tensor(referenceMap, [6, 7, 8]);
        var prediction = tensor(predictionMap, [1, 6, 7, 8]).to_type(ScalarType.Int32);
        var fromTensors = SegmentationMetrics.Compute(prediction, reference, spacing, [2]).Single();
        Assert.Equal(expected, fromTensors);
        Assert.Equal(2.0, fromTensors.Hd95Mm, 12); // shifted one step along the 2 mm axis

        var scored = SegmentationMetrics.ComputeCase("case_7", prediction, reference, spacing, [2]);
        Assert.Equal("case_7", scored.CaseId);
        Assert.Equal(spacing, scored.SpacingMm);
    }

    [Fact]
    public void BadInputsAreRejectedWithTheReason()
    {
        using var scope = NewDisposeScope();
        var map = zeros([4, 4, 4], ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => SegmentationMetrics.ComputeCase("liver_3", map, zeros([4, 4, 5], ScalarType.Int64), [1, 1, 1], [1]));
        Assert.Contains("liver_3", error.Message);
        Assert.Contains("differ in shape", error.Message);
        Assert.Contains("integer", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(map.to_type(ScalarType.Float32), map, [1, 1, 1], [1])).Message);
        Assert.Contains("3-D", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(zeros([2, 4, 4, 4], ScalarType.Int64), zeros([2, 4, 4, 4], ScalarType.Int64), [1, 1, 1], [1])).Message);
        Assert.Contains("spacing", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(map, map, [1, 0, 1], [1])).Message);
        Assert.Contains("spacing", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(map, map, [1, 1], [1])).Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(map, map, [1, 1, 1], [1, 1])).Message);
        Assert.Contains("No label", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(map, map, [1, 1, 1], [])).Message);
        Assert.Contains("tolerance", Assert.Throws<ArgumentException>(() =>
            SegmentationMetrics.Compute(map, map, [1, 1, 1], [1], new MetricOptions { NsdToleranceMm = -1 })).Message);
        Assert.Contains("label 4", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Compute(map, map, [1, 1, 1], [1],
            new MetricOptions { NsdToleranceMmByLabel = new Dictionary<long, double> { [4] = double.NaN } })).Message);
    }

    [Fact]
    public void SpheresIn128CubedRunInReasonableTime()
    {
        // Performance sanity (the time is printed, not asserted): two concentric spheres of radii 40 and 42 voxels in 128³.
        int[] shape = [128, 128, 128];
        double[] spacing = [1, 1, 1];
        var reference = LabelMaps.Empty(shape).Sphere(shape, spacing, [63.5, 63.5, 63.5], 40, 1);
        var prediction = LabelMaps.Empty(shape).Sphere(shape, spacing, [63.5, 63.5, 63.5], 42, 1);
        var clock = Stopwatch.StartNew();
        var result = One(prediction, reference, shape, spacing);
        clock.Stop();
        output.WriteLine($"128³ sphere pair (r 40 vs 42 voxels): HD95 {result.Hd95Mm:F4} mm, Dice {result.Dice:F4}, NSD@1mm {result.Nsd:F4}, " +
                         $"{result.ReferenceSurfaceVoxels} + {result.PredictionSurfaceVoxels} surface voxels, {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(result.Hd95Mm, 1.0, 3.0);
    }
}
