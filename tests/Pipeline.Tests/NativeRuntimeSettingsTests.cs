using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests;

/// <summary>
/// The float32 conv3d input gradient must equal the float64 one. libtorch's bundled oneDNN gets this wrong with its
/// AVX2/AVX-512 kernels on this project's CPUs unless NativeRuntimeSettings caps it at AVX (see docs/known-issues.md).
/// </summary>
public class NativeRuntimeSettingsTests
{
    [Theory]
    [InlineData(8, 8)]
    [InlineData(24, 24)]
    [InlineData(8, 14)]
    [InlineData(4, 5)]
    [InlineData(1, 48)]
    public void Conv3dGradientsMatchDoublePrecision(int inChannels, int outChannels)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var x = randn(new long[] { 2, inChannels, 12, 12, 12 }, generator: gen).requires_grad_();
        var w = randn(new long[] { outChannels, inChannels, 3, 3, 3 }, generator: gen).requires_grad_();
        var gradOut = randn(new long[] { 2, outChannels, 12, 12, 12 }, generator: gen);
        var y = nn.functional.conv3d(x, w, padding: new long[] { 1, 1, 1 });
        y.backward([gradOut]);

        var x64 = x.detach().to_type(ScalarType.Float64).requires_grad_();
        var w64 = w.detach().to_type(ScalarType.Float64).requires_grad_();
        var y64 = nn.functional.conv3d(x64, w64, padding: new long[] { 1, 1, 1 });
        y64.backward([gradOut.to_type(ScalarType.Float64)]);

        Assert.Equal("AVX", Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"));
        double scale = Math.Max(1, y64.abs().max().item<double>());
        Assert.True((y.to_type(ScalarType.Float64) - y64).abs().max().item<double>() <= 1e-4 * scale, "forward");
        double gradScale = Math.Max(1, x64.grad!.abs().max().item<double>());
        Assert.True((x.grad!.to_type(ScalarType.Float64) - x64.grad!).abs().max().item<double>() <= 1e-4 * gradScale, "input gradient");
        double wScale = Math.Max(1, w64.grad!.abs().max().item<double>());
        Assert.True((w.grad!.to_type(ScalarType.Float64) - w64.grad!).abs().max().item<double>() <= 1e-4 * wScale, "weight gradient");
    }
}
