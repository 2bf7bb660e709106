using Pipeline.Core.Data;
using Pipeline.Core.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

public class PatchSamplerTests
{
    /// <summary>A 24³ case with one labelled voxel (class 2) at (3, 20, 22); the image equals the label so crops can be
    /// checked for alignment.</summary>
    private static SegmentationCase SingleVoxelCase()
    {
        var label = zeros([24, 24, 24], ScalarType.Int64);
        label[3, 20, 22] = tensor(2L);
        return new SegmentationCase("one-voxel", label.to_type(ScalarType.Float32).unsqueeze(0), label, [1, 1, 1]);
    }

    private static bool ContainsForeground((Tensor Image, Tensor Label) patch) => patch.Label.sum().item<long>() > 0;

    [Fact]
    public void ForegroundRatioOneAlwaysCoversALabelledVoxelAndKeepsImageAndLabelAligned()
    {
        using var scope = NewDisposeScope();
        using var source = SingleVoxelCase();
        using var sampler = new PatchSampler([8, 8, 8], 1.0, seed: 1);
        for (int i = 0; i < 20; i++)
        {
            var patch = sampler.Sample(source);
            Assert.Equal(new long[] { 1, 8, 8, 8 }, patch.Image.shape);
            Assert.Equal(new long[] { 8, 8, 8 }, patch.Label.shape);
            Assert.True(ContainsForeground(patch));
            Assert.True(patch.Image[0].eq(patch.Label.to_type(ScalarType.Float32)).all().item<bool>());
        }
    }

    [Fact]
    public void ForegroundRatioSetsTheShareOfForegroundPatches()
    {
        using var scope = NewDisposeScope();
        using var source = SingleVoxelCase();
        using var none = new PatchSampler([8, 8, 8], 0.0, seed: 2);
        using var half = new PatchSampler([8, 8, 8], 0.5, seed: 2);
        const int draws = 400;
        double uniformShare = Enumerable.Range(0, draws).Count(_ => ContainsForeground(none.Sample(source))) / (double)draws;
        double halfShare = Enumerable.Range(0, draws).Count(_ => ContainsForeground(half.Sample(source))) / (double)draws;
        // A uniform 8³ patch of a 24³ volume covers a given corner-near voxel rarely (about 1 in 50 here).
        Assert.InRange(uniformShare, 0.0, 0.08);
        Assert.InRange(halfShare, 0.40, 0.62);
    }

    [Fact]
    public void SameSeedSameSequenceOtherSeedOtherSequence()
    {
        using var scope = NewDisposeScope();
        var dataset = new InMemoryDataset(["background", "a"],
            ("c0", Enumerable.Range(0, 16 * 16 * 16).Select(i => (float)i).ToArray(), new long[16 * 16 * 16], [16, 16, 16]));
        using var cases = new CaseStore(dataset, dataset.Splits["train"], keepInMemory: true);
        using var first = new PatchSampler([4, 5, 6], 0.5, seed: 7);
        using var second = new PatchSampler([4, 5, 6], 0.5, seed: 7);
        using var other = new PatchSampler([4, 5, 6], 0.5, seed: 8);
        var a = first.SampleBatch(cases, 6);
        var b = second.SampleBatch(cases, 6);
        var c = other.SampleBatch(cases, 6);
        Assert.Equal(new long[] { 6, 1, 4, 5, 6 }, a.Images.shape);
        Assert.Equal(new long[] { 6, 4, 5, 6 }, a.Labels.shape);
        Assert.True(a.Images.eq(b.Images).all().item<bool>());
        Assert.False(a.Images.eq(c.Images).all().item<bool>());
    }

    [Fact]
    public void ARestoredStateContinuesTheSameSequence()
    {
        using var scope = NewDisposeScope();
        var dataset = new InMemoryDataset(["background", "a"],
            ("c0", Enumerable.Range(0, 16 * 16 * 16).Select(i => (float)i).ToArray(),
             Enumerable.Range(0, 16 * 16 * 16).Select(i => (long)(i % 7 == 0 ? 1 : 0)).ToArray(), [16, 16, 16]));
        using var cases = new CaseStore(dataset, dataset.Splits["train"], keepInMemory: true);
        using var original = new PatchSampler([4, 5, 6], 0.5, seed: 7);
        original.SampleBatch(cases, 3);
        original.SampleBatch(cases, 3);
        var saved = original.CaptureState();
        Assert.Equal(2, saved.BatchesDrawn);
        var next = original.SampleBatch(cases, 4);

        // A fresh sampler with another seed, moved to the saved position, draws what the original drew next.
        using var restored = new PatchSampler([4, 5, 6], 0.5, seed: 99);
        restored.RestoreState(saved);
        Assert.Equal(2, restored.BatchesDrawn);
        var again = restored.SampleBatch(cases, 4);
        Assert.True(next.Images.eq(again.Images).all().item<bool>());
        Assert.True(next.Labels.eq(again.Labels).all().item<bool>());
        Assert.Equal(3, restored.BatchesDrawn);

        Assert.Throws<ArgumentException>(() => restored.RestoreState(new PatchSamplerState([1, 2, 3], 0)));
    }

    [Fact]
    public void CasesSmallerThanThePatchAreZeroPadded()
    {
        using var scope = NewDisposeScope();
        var label = ones([5, 6, 7], ScalarType.Int64);
        using var small = new SegmentationCase("small", ones([1, 5, 6, 7]), label, [1, 1, 1]);
        using var sampler = new PatchSampler([8, 8, 8], 0.5, seed: 3);
        var (image, patchLabel) = sampler.Sample(small);
        Assert.Equal(new long[] { 1, 8, 8, 8 }, image.shape);
        Assert.Equal(5 * 6 * 7, patchLabel.sum().item<long>());
        Assert.Equal(5 * 6 * 7, image.sum().item<float>());
        // Symmetric padding: (8 - 5) / 2 = 1 voxel before along D.
        Assert.Equal(0, patchLabel[0].sum().item<long>());
        Assert.Equal(6 * 7, patchLabel[1].sum().item<long>());
    }

    [Fact]
    public void CasesWithoutLabelsOrWithBadOptionsAreRejected()
    {
        using var scope = NewDisposeScope();
        using var unlabelled = new SegmentationCase("u", ones([1, 8, 8, 8]), null, [1, 1, 1]);
        using var sampler = new PatchSampler([4, 4, 4], 0.5, seed: 1);
        Assert.Contains("no label", Assert.Throws<InvalidOperationException>(() => sampler.Sample(unlabelled)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatchSampler([4, 4, 4], 1.5, seed: 1));
        Assert.Throws<ArgumentException>(() => new PatchSampler([4, 4], 0.5, seed: 1));
    }
}
