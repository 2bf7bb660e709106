using Pipeline.Core.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

public class SlidingWindowBlendingTests
{
    [Theory]
    [InlineData(BlendMode.Constant)]
    [InlineData(BlendMode.Gaussian)]
    public void MatchesAPlainImplementationOfMonaisAlgorithm(BlendMode mode)
    {
        using var scope = NewDisposeScope();
        // 11 × 7 × 5 with ROI 4 × 5 × 6: the last axis is padded (5 → 6), the others get 1 to 6 windows.
        var image = randn([2, 2, 11, 7, 5], generator: new Generator(11));
        int[] roi = [4, 5, 6];
        foreach (double overlap in new[] { 0.0, 0.25, 0.5, 0.7 })
        foreach (int batch in new[] { 1, 3 })
        {
            var options = new SlidingWindowOptions { RoiSize = roi, Overlap = overlap, WindowBatchSize = batch, Blend = mode };
            var predicted = new SlidingWindowInference(options).Predict(ToyNetworks.PositionDependent, image);
            var reference = MonaiSlidingWindowReference.Predict(ToyNetworks.PositionDependent, image, roi, overlap, mode);
            Assert.Equal(reference.shape, predicted.shape);
            double error = (predicted - reference).abs().max().item<float>();
            Assert.True(error < 2e-5, $"{mode}, overlap {overlap}, batch {batch}: max abs difference {error}");
        }
    }

    [Fact]
    public void GaussianAndConstantBlendingDifferWhereWindowsOverlap()
    {
        // Guards the reference test above against a toy network for which blending would not matter.
        using var scope = NewDisposeScope();
        var image = randn([1, 1, 9, 9, 9], generator: new Generator(3));
        Tensor Predict(BlendMode mode) => new SlidingWindowInference(new SlidingWindowOptions { RoiSize = [5, 5, 5], Overlap = 0.5, Blend = mode })
            .Predict(ToyNetworks.PositionDependent, image);
        Assert.True((Predict(BlendMode.Constant) - Predict(BlendMode.Gaussian)).abs().max().item<float>() > 1e-2);
    }

    [Fact]
    public void GaussianBlendingOfAConstantNetworkIsThatConstant()
    {
        using var scope = NewDisposeScope();
        var image = randn([1, 1, 23, 17, 9], generator: new Generator(5));
        var options = new SlidingWindowOptions { RoiSize = [8, 8, 12], Overlap = 0.6, WindowBatchSize = 2, Blend = BlendMode.Gaussian };
        var predicted = new SlidingWindowInference(options).Predict(x => full([x.shape[0], 2, .. x.shape[2..]], 3.7f), image);
        Assert.Equal(new long[] { 1, 2, 23, 17, 9 }, predicted.shape);
        Assert.True(predicted.allclose(full_like(predicted, 3.7f), rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void ConstantBlendingIsBitIdenticalToThePreviousImplementation()
    {
        using var scope = NewDisposeScope();
        var image = randn([2, 1, 13, 10, 7], generator: new Generator(9));
        foreach (var (roi, overlap, batch) in new (int[], double, int)[] { ([6, 4, 5], 0.5, 3), ([16, 3, 9], 0.7, 4), ([5, 5, 5], 0.25, 1) })
        {
            var predicted = new SlidingWindowInference(roi, overlap, batch).Predict(ToyNetworks.PositionDependent, image);
            var previous = PreviousConstantImplementation(roi, overlap, batch, ToyNetworks.PositionDependent, image);
            Assert.True(Exactly.Equal(previous, predicted), $"roi [{string.Join(",", roi)}] overlap {overlap}");
        }
    }

    [Fact]
    public void AggregatingOnExplicitDevicesEqualsAggregatingWhereTheNetworkRuns()
    {
        using var scope = NewDisposeScope();
        var image = randn([1, 2, 12, 9, 10], generator: new Generator(13));
        var devices = new List<Device> { CPU };
        if (cuda.is_available()) devices.Add(CUDA);
        foreach (var mode in new[] { BlendMode.Constant, BlendMode.Gaussian })
        foreach (var networkDevice in devices)
        {
            var baseOptions = new SlidingWindowOptions { RoiSize = [6, 6, 6], Overlap = 0.5, WindowBatchSize = 2, Blend = mode };
            // Everything where the network runs ...
            var sameDevice = new SlidingWindowInference(baseOptions).Predict(ToyNetworks.PositionDependent, image.to(networkDevice));
            // ... and windows sent to the network's device, outputs summed on the CPU.
            var onCpu = new SlidingWindowInference(baseOptions with { WindowDevice = networkDevice, AggregationDevice = CPU })
                .Predict(ToyNetworks.PositionDependent, image);
            Assert.Equal(DeviceType.CPU, onCpu.device_type);
            Assert.True(onCpu.allclose(sameDevice.cpu(), rtol: 1e-6, atol: 1e-6), $"{mode} on {networkDevice}");
        }
    }

    [Fact]
    public void WindowCountFollowsTheWindowStartsOfThePaddedVolume()
    {
        var inference = new SlidingWindowInference([96, 96, 96], 0.25);
        // 512: starts 0, 72, ..., 360, 416 (7); 300: 0, 72, 144, 204 (4).
        Assert.Equal(7 * 7 * 4, inference.WindowCount([512, 512, 300]));
        Assert.Equal(1, inference.WindowCount([50, 60, 70]));
    }

    [Fact]
    public void InvalidSettingsAreRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => new SlidingWindowInference(
            new SlidingWindowOptions { RoiSize = [4, 4, 4], SigmaScale = 0, MirrorAxes = [0, 3] }));
        Assert.Contains("sigma_scale", error.Message);
        Assert.Contains("mirror_axes", error.Message);
    }

    /// <summary>The constant-blending implementation before Gaussian blending was added, kept verbatim as a regression reference.</summary>
    private static Tensor PreviousConstantImplementation(int[] roiSize, double overlap, int windowBatchSize, Func<Tensor, Tensor> network, Tensor image)
    {
        long[] roi = roiSize.Select(s => (long)s).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] size = image.shape[2..];
        var pad = new long[6];
        var padBefore = new long[3];
        for (int axis = 0; axis < 3; axis++)
        {
            long missing = Math.Max(0, roi[axis] - size[axis]);
            padBefore[axis] = missing / 2;
            pad[2 * (2 - axis)] = missing / 2;
            pad[2 * (2 - axis) + 1] = missing - missing / 2;
        }
        var padded = pad.All(p => p == 0) ? image : nn.functional.pad(image, pad);
        long[] paddedSize = padded.shape[2..];
        var starts = Enumerable.Range(0, 3).Select(axis => SlidingWindowInference.WindowStarts(paddedSize[axis], roi[axis], overlap)).ToArray();
        var windows = new List<(long Item, long D, long H, long W)>();
        for (long item = 0; item < image.shape[0]; item++)
            foreach (long d in starts[0]) foreach (long h in starts[1]) foreach (long w in starts[2])
                windows.Add((item, d, h, w));
        TensorIndex[] Region((long Item, long D, long H, long W) w, long item = 0) =>
        [
            TensorIndex.Slice(item, item + 1), TensorIndex.Colon, TensorIndex.Slice(w.D, w.D + roi[0]),
            TensorIndex.Slice(w.H, w.H + roi[1]), TensorIndex.Slice(w.W, w.W + roi[2]),
        ];
        var coverage = zeros([1, 1, .. paddedSize], image.dtype, image.device);
        foreach (var window in windows.Where(w => w.Item == 0))
            coverage[Region(window)].add_(1);
        Tensor? sum = null;
        foreach (var chunk in windows.Chunk(windowBatchSize))
        {
            using var windowScope = NewDisposeScope();
            var output = network(cat(chunk.Select(w => padded[Region(w, w.Item)]).ToList(), 0));
            sum ??= zeros([image.shape[0], output.shape[1], .. paddedSize], output.dtype, output.device).MoveToOuterDisposeScope();
            for (int i = 0; i < chunk.Length; i++)
                sum[Region(chunk[i], chunk[i].Item)].add_(output[TensorIndex.Slice(i, i + 1)]);
        }
        var average = sum!.div_(coverage);
        var cropped = average[.., .., TensorIndex.Slice(padBefore[0], padBefore[0] + size[0]),
                              TensorIndex.Slice(padBefore[1], padBefore[1] + size[1]),
                              TensorIndex.Slice(padBefore[2], padBefore[2] + size[2])];
        return (paddedSize.SequenceEqual(size) ? average : cropped.contiguous()).MoveToOuterDisposeScope();
    }
}
