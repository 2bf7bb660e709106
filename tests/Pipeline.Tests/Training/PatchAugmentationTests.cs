using Pipeline.Core.Training;
using Pipeline.Core.Transforms;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

public class PatchAugmentationTests
{
    private static PatchBatch Batch()
    {
        var images = arange(2 * 1 * 5 * 5 * 5, dtype: ScalarType.Float32).reshape(2, 1, 5, 5, 5);
        var labels = arange(2 * 5 * 5 * 5, dtype: ScalarType.Int64).remainder(3).reshape(2, 5, 5, 5);
        return new PatchBatch(images, labels);
    }

    private static PatchAugmentation Flips() =>
        new(new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse("""
            - name: rand_flip
              prob: 0.5
              spatial_axis: [0, 1, 2]
            - name: rand_rotate90
              prob: 0.5
            """, "augment.yaml"));

    [Fact]
    public void TheSameSeedAndIterationGiveTheSameBatchAndLabelsStayIntegerClasses()
    {
        using var scope = NewDisposeScope();
        var augmentation = Flips();
        var a = augmentation.Apply(Batch(), seed: 42, iteration: 3, part: 0);
        var b = augmentation.Apply(Batch(), seed: 42, iteration: 3, part: 0);
        Assert.True(a.Images.eq(b.Images).all().item<bool>());
        Assert.True(a.Labels.eq(b.Labels).all().item<bool>());
        Assert.Equal(ScalarType.Int64, a.Labels.dtype);
        // Flips and turns only move voxels: the multiset of values is unchanged.
        Assert.Equal(Batch().Images.sum().item<float>(), a.Images.sum().item<float>());
        Assert.Equal(Batch().Labels.flatten().bincount(null).data<long>().ToArray(), a.Labels.flatten().bincount(null).data<long>().ToArray());
    }

    [Fact]
    public void DifferentIterationsDrawDifferently()
    {
        using var scope = NewDisposeScope();
        var augmentation = Flips();
        var batches = Enumerable.Range(0, 8).Select(i => augmentation.Apply(Batch(), 42, i, 0).Images).ToList();
        Assert.Contains(batches.Skip(1), other => !other.eq(batches[0]).all().item<bool>());
    }
}

public class PatchAugmentationShapeTests
{
    [Fact]
    public void ATurnThatWouldChangeThePatchShapeIsAClearError()
    {
        using var scope = NewDisposeScope();
        var augmentation = new PatchAugmentation(new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse("""
            - name: rand_rotate90
              prob: 1.0
            """, "augment.yaml"));
        var batch = new PatchBatch(zeros([1, 1, 6, 5, 4]), zeros([1, 6, 5, 4], ScalarType.Int64));
        var error = Assert.Throws<InvalidOperationException>(() => augmentation.Apply(batch, 1, 0, 0));
        Assert.Contains("keep its size", error.Message);
    }
}
