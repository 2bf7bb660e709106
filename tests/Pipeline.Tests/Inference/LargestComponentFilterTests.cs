using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class LargestComponentFilterTests
{
    [Fact]
    public void KeepsTheLargestComponentOfEachListedLabelAndLeavesOthersAlone()
    {
        using var scope = NewDisposeScope();
        var labels = zeros([12, 12, 12], ScalarType.Int64);
        labels[TensorIndex.Slice(0, 3), TensorIndex.Slice(0, 3), TensorIndex.Slice(0, 3)] = tensor(1L); // 27 voxels
        labels[TensorIndex.Slice(8, 10), TensorIndex.Slice(8, 10), TensorIndex.Slice(8, 10)] = tensor(1L); // 8 voxels
        labels[TensorIndex.Slice(0, 2), TensorIndex.Slice(9, 11), TensorIndex.Slice(0, 2)] = tensor(2L); // 8 voxels
        labels[6, 0, 9] = tensor(2L); // 1 voxel

        var filtered = new LargestComponentFilter { Labels = [1] }.Apply(labels);

        Assert.Equal(27, filtered.eq(1).sum().item<long>());
        Assert.Equal(0, filtered[TensorIndex.Slice(8, 10), TensorIndex.Slice(8, 10), TensorIndex.Slice(8, 10)].sum().item<long>());
        Assert.Equal(9, filtered.eq(2).sum().item<long>()); // label 2 not listed: both of its components stay
        Assert.Equal(12L * 12 * 12 - 27 - 9, filtered.eq(0).sum().item<long>());

        var both = new LargestComponentFilter { Labels = [1, 2] }.Apply(labels);
        Assert.Equal(8, both.eq(2).sum().item<long>());
        Assert.Equal(0, both[6, 0, 9].item<long>());
    }

    [Theory]
    [InlineData(6, 1)]  // only faces connect: each of the three voxels is its own component
    [InlineData(18, 2)] // faces and edges: the edge pair is one component, the corner voxel another
    [InlineData(26, 3)] // all three touch through an edge or a corner
    public void ConnectivityDecidesWhichVoxelsTouch(int connectivity, long kept)
    {
        using var scope = NewDisposeScope();
        var labels = zeros([5, 5, 5], ScalarType.Byte);
        labels[1, 1, 1] = tensor((byte)1);
        labels[2, 2, 1] = tensor((byte)1); // shares an edge with (1, 1, 1)
        labels[3, 3, 2] = tensor((byte)1); // shares only a corner with (2, 2, 1)

        var filtered = new LargestComponentFilter { Labels = [1], Connectivity = connectivity }.Apply(labels);

        Assert.Equal(kept, filtered.to(ScalarType.Int64).sum().item<long>());
        Assert.Equal(1, filtered[1, 1, 1].item<byte>()); // ties and the edge pair keep the first voxel in raster order
    }

    [Theory]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Int32)] // the type the filter works in: the result must still be a tensor of its own
    public void KeepsTypeAndShapeAndDoesNotChangeItsInput(ScalarType type)
    {
        using var scope = NewDisposeScope();
        var labels = zeros([4, 5, 6], type);
        labels[0, 0, 0] = tensor(3).to(type);
        labels[3, 4, 5] = tensor(3).to(type);
        var before = labels.clone();

        var filtered = new LargestComponentFilter { Labels = [3] }.Apply(labels);

        Assert.Equal(type, filtered.dtype);
        Assert.Equal(labels.shape, filtered.shape);
        Assert.True(Exactly.Equal(before, labels));
        Assert.Equal(3, filtered[0, 0, 0].to(ScalarType.Int64).item<long>()); // a tie: the first in raster order stays
        Assert.Equal(0, filtered[3, 4, 5].to(ScalarType.Int64).item<long>());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(18)]
    [InlineData(26)]
    public void EqualsComponentsFoundByRepeatedMinimumPropagation(int connectivity)
    {
        // An independent labelling: every voxel starts as its own index and repeatedly takes the smallest index of its
        // same-label neighbours until nothing changes; voxels sharing an index form a component.
        var random = new Random(1234 + connectivity);
        for (int trial = 0; trial < 6; trial++)
        {
            using var scope = NewDisposeScope();
            int[] shape = [7 + trial, 6, 5 + trial % 3];
            var values = new long[shape[0] * shape[1] * shape[2]];
            for (int v = 0; v < values.Length; v++) values[v] = random.NextDouble() < 0.55 ? 0 : random.Next(1, 4);
            var labels = tensor(values, [shape[0], shape[1], shape[2]]);

            var filtered = new LargestComponentFilter { Labels = [1, 3], Connectivity = connectivity }.Apply(labels).data<long>().ToArray();

            var expected = ReferenceFilter(values, shape, [1, 3], connectivity);
            Assert.Equal(expected, filtered);
        }
    }

    [Fact]
    public void InvalidSettingsAndInputsAreNamed()
    {
        using var scope = NewDisposeScope();
        var labels = zeros([3, 3, 3], ScalarType.Int64);
        Assert.Contains("connectivity", Assert.Throws<ArgumentException>(() => new LargestComponentFilter { Labels = [1], Connectivity = 8 }.Apply(labels)).Message);
        Assert.Contains(">= 1", Assert.Throws<ArgumentException>(() => new LargestComponentFilter { Labels = [0] }.Apply(labels)).Message);
        Assert.Contains("at least one label", Assert.Throws<ArgumentException>(() => new LargestComponentFilter { Labels = [] }.Apply(labels)).Message);
        Assert.Contains("integer label map", Assert.Throws<ArgumentException>(() => new LargestComponentFilter { Labels = [1] }.Apply(zeros(3, 3, 3))).Message);
        Assert.Contains("integer label map", Assert.Throws<ArgumentException>(() => new LargestComponentFilter { Labels = [1] }.Apply(zeros([1, 3, 3, 3], ScalarType.Int64))).Message);
    }

    [Fact]
    public void ThePredictorAppliesItToTheLabelsOnly()
    {
        using var scope = NewDisposeScope();
        // A "network" whose class-1 logit is high in two separate boxes of different size.
        var mask = zeros([1, 1, 16, 16, 16]);
        mask[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(1, 6), TensorIndex.Slice(1, 6), TensorIndex.Slice(1, 6)] = tensor(1f);
        mask[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(11, 13), TensorIndex.Slice(11, 13), TensorIndex.Slice(11, 13)] = tensor(1f);
        var image = mask[0];
        Tensor Network(Tensor windows) => cat([-windows, windows], 1) * 4;
        var options = new PredictionOptions { RoiSize = [8, 8, 8], Overlap = 0.5, ProbabilityType = ScalarType.Float32 };

        using var plain = new SegmentationPredictor(options).Predict(Network, image);
        using var filtered = new SegmentationPredictor(options with { LargestComponent = new LargestComponentFilter { Labels = [1] } }).Predict(Network, image);

        Assert.Equal(125 + 8, plain.Labels.to(ScalarType.Int64).sum().item<long>());
        Assert.Equal(125, filtered.Labels.to(ScalarType.Int64).sum().item<long>());
        Assert.True(Exactly.Equal(plain.Probabilities!, filtered.Probabilities!));
    }

    private static long[] ReferenceFilter(long[] values, int[] shape, long[] labels, int connectivity)
    {
        int n = values.Length;
        var index = Enumerable.Range(0, n).ToArray();
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int v = 0; v < n; v++)
            {
                if (!labels.Contains(values[v])) continue;
                int i = v / (shape[1] * shape[2]), j = v / shape[2] % shape[1], k = v % shape[2];
                for (int di = -1; di <= 1; di++)
                for (int dj = -1; dj <= 1; dj++)
                for (int dk = -1; dk <= 1; dk++)
                {
                    int steps = Math.Abs(di) + Math.Abs(dj) + Math.Abs(dk);
                    if (steps == 0 || steps > connectivity switch { 6 => 1, 18 => 2, _ => 3 }) continue;
                    int ni = i + di, nj = j + dj, nk = k + dk;
                    if (ni < 0 || nj < 0 || nk < 0 || ni >= shape[0] || nj >= shape[1] || nk >= shape[2]) continue;
                    int u = (ni * shape[1] + nj) * shape[2] + nk;
                    if (values[u] == values[v] && index[u] < index[v])
                    {
                        index[v] = index[u];
                        changed = true;
                    }
                }
            }
        }
        var result = (long[])values.Clone();
        foreach (long label in labels)
        {
            var sizes = Enumerable.Range(0, n).Where(v => values[v] == label).GroupBy(v => index[v])
                                  .Select(g => (Root: g.Key, Size: g.Count())).ToList();
            if (sizes.Count == 0) continue;
            // Largest; among equals, the component whose first voxel (its root: the smallest index) comes first.
            int keep = sizes.OrderByDescending(c => c.Size).ThenBy(c => c.Root).First().Root;
            for (int v = 0; v < n; v++)
                if (values[v] == label && index[v] != keep) result[v] = 0;
        }
        return result;
    }
}
