using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class SegmentationPostprocessingTests
{
    [Fact]
    public void ArgmaxBySlabsEqualsTheWholeArgmax()
    {
        using var scope = NewDisposeScope();
        var scores = randn([4, 37, 5, 6], generator: new Generator(31));
        var whole = scores.argmax(0);
        foreach (long slab in new long[] { 1, 4, 16, 37, 100 })
        {
            var labels = SegmentationPostprocessing.Argmax(scores, ScalarType.Int64, slab);
            Assert.Equal(ScalarType.Int64, labels.dtype);
            Assert.True(Exactly.Equal(whole, labels), $"slab {slab}");
            var bytes = SegmentationPostprocessing.Argmax(scores, ScalarType.Byte, slab);
            Assert.Equal(ScalarType.Byte, bytes.dtype);
            Assert.True(Exactly.Equal(whole, bytes.to(ScalarType.Int64)), $"uint8, slab {slab}");
        }
    }

    [Fact]
    public void ArgmaxTiesGoToTheFirstClass()
    {
        using var scope = NewDisposeScope();
        var scores = zeros([3, 2, 2, 2]);
        scores[2, 1, 1, 1] = tensor(1f);
        var labels = SegmentationPostprocessing.Argmax(scores, ScalarType.Byte, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 2 }, labels.flatten().data<byte>().ToArray());
    }

    [Fact]
    public void SoftmaxBySlabsEqualsTheWholeSoftmax()
    {
        using var scope = NewDisposeScope();
        var logits = randn([3, 11, 4, 5], generator: new Generator(32)) * 4;
        var whole = logits.softmax(0);
        var slabbed = SegmentationPostprocessing.Softmax(logits, ScalarType.Float32, 3);
        Assert.True(slabbed.allclose(whole, rtol: 1e-6, atol: 1e-7));
        var half = SegmentationPostprocessing.Softmax(logits, ScalarType.Float16, 5);
        Assert.Equal(ScalarType.Float16, half.dtype);
        Assert.True(half.to(ScalarType.Float32).allclose(whole, rtol: 1e-3, atol: 1e-3));

        var inPlace = logits.clone();
        var returned = SegmentationPostprocessing.SoftmaxInPlace(inPlace, 2);
        Assert.Same(inPlace, returned);
        Assert.True(inPlace.allclose(whole, rtol: 1e-6, atol: 1e-7));
    }

    [Fact]
    public void LabelTypesMustHoldEveryClass()
    {
        SegmentationPostprocessing.RequireLabelType(ScalarType.Byte, 256);
        var error = Assert.Throws<ArgumentException>(() => SegmentationPostprocessing.RequireLabelType(ScalarType.Byte, 257));
        Assert.Contains("257 classes", error.Message);
        Assert.Throws<ArgumentException>(() => SegmentationPostprocessing.RequireLabelType(ScalarType.Float32, 2));
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => SegmentationPostprocessing.Argmax(zeros([2, 3, 3]), ScalarType.Byte));
    }
}
