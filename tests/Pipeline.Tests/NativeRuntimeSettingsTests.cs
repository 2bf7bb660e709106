using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests;

/// <summary>
/// The float32 conv3d forward, input gradient and weight gradient must equal the float64 ones. libtorch's bundled
/// oneDNN gets them wrong with its AVX-512, AVX2 and AVX kernels on this project's CPUs unless NativeRuntimeSettings
/// caps it at SSE4.1 (see docs/known-issues.md): AVX2/AVX-512 fail the 8-, 14- and 24-channel rows, AVX the
/// 12-channel rows at 48^3.
/// </summary>
public class NativeRuntimeSettingsTests
{
    [Theory]
    [InlineData(8, 8, 2, 12)]
    [InlineData(24, 24, 2, 12)]
    [InlineData(8, 14, 2, 12)]
    [InlineData(4, 5, 2, 12)]
    [InlineData(1, 48, 2, 12)]
    [InlineData(12, 12, 1, 48)]
    [InlineData(12, 24, 1, 48)]
    public void Conv3dGradientsMatchDoublePrecision(int inChannels, int outChannels, int batch, int size)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var x = randn(new long[] { batch, inChannels, size, size, size }, generator: gen).requires_grad_();
        var w = randn(new long[] { outChannels, inChannels, 3, 3, 3 }, generator: gen).requires_grad_();
        var gradOut = randn(new long[] { batch, outChannels, size, size, size }, generator: gen);
        var y = nn.functional.conv3d(x, w, padding: new long[] { 1, 1, 1 });
        y.backward([gradOut]);

        var x64 = x.detach().to_type(ScalarType.Float64).requires_grad_();
        var w64 = w.detach().to_type(ScalarType.Float64).requires_grad_();
        var y64 = nn.functional.conv3d(x64, w64, padding: new long[] { 1, 1, 1 });
        y64.backward([gradOut.to_type(ScalarType.Float64)]);

        Assert.Equal(Pipeline.Core.Native.NativeRuntimeSettings.SafeOneDnnIsa, Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"));
        double scale = Math.Max(1, y64.abs().max().item<double>());
        Assert.True((y.to_type(ScalarType.Float64) - y64).abs().max().item<double>() <= 1e-4 * scale, "forward");
        double gradScale = Math.Max(1, x64.grad!.abs().max().item<double>());
        Assert.True((x.grad!.to_type(ScalarType.Float64) - x64.grad!).abs().max().item<double>() <= 1e-4 * gradScale, "input gradient");
        double wScale = Math.Max(1, w64.grad!.abs().max().item<double>());
        Assert.True((w.grad!.to_type(ScalarType.Float64) - w64.grad!).abs().max().item<double>() <= 1e-4 * wScale, "weight gradient");
    }
}
