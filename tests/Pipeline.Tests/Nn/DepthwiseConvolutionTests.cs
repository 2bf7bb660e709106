using Pipeline.Core.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Nn;

/// <summary>
/// Every non-native depthwise path must reproduce libtorch's conv3d: outputs and the input, kernel and bias gradients.
/// Tensors stay tiny because the native reference backward is slow on CPU.
/// </summary>
public class DepthwiseConvolutionTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<DepthwiseConvPath, long[], int, bool> Cases()
    {
        var cases = new TheoryData<DepthwiseConvPath, long[], int, bool>();
        foreach (var path in new[] { DepthwiseConvPath.Fft, DepthwiseConvPath.DirectBackward })
        {
            cases.Add(path, new long[] { 2, 3, 10, 10, 10 }, 3, true);   // even cube
            cases.Add(path, new long[] { 2, 3, 9, 9, 9 }, 3, false);     // odd cube
            cases.Add(path, new long[] { 2, 3, 9, 12, 10 }, 7, true);    // non-cubic, mixed parity
            cases.Add(path, new long[] { 2, 3, 11, 11, 11 }, 7, false);
            cases.Add(path, new long[] { 2, 3, 10, 10, 10 }, 13, true);  // kernel wider than the volume
            cases.Add(path, new long[] { 2, 3, 9, 12, 10 }, 13, false);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PathMatchesNativeInOutputAndAllGradients(DepthwiseConvPath path, long[] shape, int kernelSize, bool hasBias)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)(1000 + kernelSize));
        var input = randn(shape, generator: generator);
        var kernel = randn(new long[] { shape[1], 1, kernelSize, kernelSize, kernelSize }, generator: generator);
        var bias = hasBias ? randn(new long[] { shape[1] }, generator: generator) : null;
        var upstream = randn(shape, generator: generator);

        var expected = OutputAndGradients(DepthwiseConvPath.Native, input, kernel, bias, upstream);
        var actual = OutputAndGradients(path, input, kernel, bias, upstream);

        Assert.Equal(expected.Count, actual.Count);
        foreach (var name in expected.Keys)
            AssertClose(expected[name], actual[name], $"{path} k={kernelSize} {string.Join("x", shape)}: {name}");
    }

    [Theory]
    [InlineData(DepthwiseConvPath.Fft)]
    [InlineData(DepthwiseConvPath.DirectBackward)]
    public void FrozenKernelStillGivesInputGradient(DepthwiseConvPath path)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(21);
        var kernel = randn(new long[] { 3, 1, 5, 5, 5 }, generator: generator);
        var bias = randn(new long[] { 3 }, generator: generator);
        var input = randn(new long[] { 2, 3, 8, 7, 6 }, generator: generator);

        // sum() hands the backward an expanded (stride-0) gradient, which the custom backward must cope with.
        var expected = input.detach().requires_grad_();
        DepthwiseConvolution.Apply(expected, kernel, bias, DepthwiseConvPath.Native).sum().backward();
        var actual = input.detach().requires_grad_();
        DepthwiseConvolution.Apply(actual, kernel, bias, path).sum().backward();

        Assert.False(kernel.requires_grad);
        AssertClose(expected.grad!, actual.grad!, $"{path}: input gradient with a frozen kernel");
    }

    [Theory]
    [InlineData(DepthwiseConvPath.Fft)]
    [InlineData(DepthwiseConvPath.DirectBackward)]
    public void ConstantInputStillGivesKernelGradient(DepthwiseConvPath path)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(22);
        var input = randn(new long[] { 2, 3, 8, 7, 6 }, generator: generator);
        var kernel = randn(new long[] { 3, 1, 5, 5, 5 }, generator: generator);

        var expected = kernel.detach().requires_grad_();
        DepthwiseConvolution.Apply(input, expected, null, DepthwiseConvPath.Native).square().sum().backward();
        var actual = kernel.detach().requires_grad_();
        DepthwiseConvolution.Apply(input, actual, null, path).square().sum().backward();

        Assert.Null(input.grad);
        AssertClose(expected.grad!, actual.grad!, $"{path}: kernel gradient with a constant input");
    }

    [Theory]
    [InlineData(DepthwiseConvPath.Fft)]
    [InlineData(DepthwiseConvPath.DirectBackward)]
    public void WithoutGradModePathMatchesNativeAndBuildsNoGraph(DepthwiseConvPath path)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(23);
        var input = randn(new long[] { 1, 4, 9, 8, 7 }, generator: generator);
        var kernel = randn(new long[] { 4, 1, 7, 7, 7 }, generator: generator).requires_grad_();
        var bias = randn(new long[] { 4 }, generator: generator).requires_grad_();
        using var noGrad = no_grad();

        var expected = DepthwiseConvolution.Apply(input, kernel, bias, DepthwiseConvPath.Native);
        var actual = DepthwiseConvolution.Apply(input, kernel, bias, path);

        Assert.False(actual.requires_grad);
        AssertClose(expected, actual, $"{path}: inference output");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(21)]
    public void AutoResolvesToAConcretePath(int kernelSize)
    {
        foreach (bool needsGradient in new[] { false, true })
        {
            var onCpu = DepthwiseConvolution.Resolve(DepthwiseConvPath.Auto, kernelSize, DeviceType.CPU, needsGradient);
            Assert.NotEqual(DepthwiseConvPath.Auto, onCpu);
            Assert.Equal(DepthwiseConvPath.Native,
                DepthwiseConvolution.Resolve(DepthwiseConvPath.Auto, kernelSize, DeviceType.CUDA, needsGradient));
        }
        // A libtorch CPU backward is never chosen for training: it is the slow case this whole file exists for.
        Assert.NotEqual(DepthwiseConvPath.Native,
            DepthwiseConvolution.Resolve(DepthwiseConvPath.Auto, kernelSize, DeviceType.CPU, needsGradient: true));
    }

    [Theory]
    [InlineData(DepthwiseConvPath.Fft)]
    [InlineData(DepthwiseConvPath.DirectBackward)]
    [InlineData(DepthwiseConvPath.Native)]
    public void ExplicitPathsResolveToThemselves(DepthwiseConvPath path)
    {
        Assert.Equal(path, DepthwiseConvolution.Resolve(path, 7, DeviceType.CPU, needsGradient: true));
        Assert.Equal(path, DepthwiseConvolution.Resolve(path, 7, DeviceType.CUDA, needsGradient: false));
    }

    [Theory]
    [InlineData(DepthwiseConvPath.Native)]
    [InlineData(DepthwiseConvPath.Fft)]
    [InlineData(DepthwiseConvPath.DirectBackward)]
    [InlineData(DepthwiseConvPath.Auto)]
    public void ModuleOnEachPathMatchesNativeAndTrainsItsParameters(DepthwiseConvPath path)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(31);
        using var layer = new DepthwiseConv3d(channels: 3, kernelSize: 7, hasBias: true, path: path);
        var input = randn(new long[] { 2, 3, 9, 10, 8 }, generator: generator);
        var upstream = randn(new long[] { 2, 3, 9, 10, 8 }, generator: generator);

        var output = layer.forward(input);
        (output * upstream).sum().backward();

        var reference = OutputAndGradients(DepthwiseConvPath.Native, input, layer.weight.detach(), layer.bias!.detach(), upstream);
        AssertClose(reference["output"], output, $"{path}: module output");
        Assert.NotNull(layer.weight.grad);
        Assert.NotNull(layer.bias.grad);
        AssertClose(reference["kernel gradient"], layer.weight.grad!, $"{path}: module weight gradient");
        AssertClose(reference["bias gradient"], layer.bias.grad!, $"{path}: module bias gradient");
    }

    /// <summary>Output plus the gradients of (output · upstream).sum() with respect to every operand.</summary>
    private static Dictionary<string, Tensor> OutputAndGradients(DepthwiseConvPath path, Tensor input, Tensor kernel, Tensor? bias, Tensor upstream)
    {
        var x = input.detach().requires_grad_();
        var w = kernel.detach().requires_grad_();
        var b = bias?.detach().requires_grad_();
        var output = DepthwiseConvolution.Apply(x, w, b, path);
        output.backward(new[] { upstream });
        var result = new Dictionary<string, Tensor>
        {
            ["output"] = output.detach(),
            ["input gradient"] = x.grad!,
            ["kernel gradient"] = w.grad!,
        };
        if (b is not null) result["bias gradient"] = b.grad!;
        return result;
    }

    /// <summary>Absolute tolerance scaled by the reference's magnitude when that exceeds 1.</summary>
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        double maxDiff = (expected - actual).abs().max().item<float>();
        Assert.True(maxDiff <= Tolerance * scale, $"{what}: max |diff| {maxDiff:e2} exceeds {Tolerance:e0} x {scale:F2}.");
    }
}
