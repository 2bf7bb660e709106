using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Nn;

/// <summary>The depthwise convolution kernels behind <see cref="DepthwiseConv3d"/>, one per <see cref="DepthwiseConvPath"/>.</summary>
public static class DepthwiseConvolution
{
    // Largest kernel size for which Auto keeps libtorch's forward on CPU (see Resolve).
    private const int LargestCpuDirectKernelSize = 3;

    /// <summary>
    /// Depthwise conv3d of <paramref name="input"/> [N, C, D, H, W] with <paramref name="kernel"/> [C, 1, k, k, k]
    /// (odd k, padding k/2) and optional <paramref name="bias"/> [C].
    /// </summary>
    public static Tensor Apply(Tensor input, Tensor kernel, Tensor? bias, DepthwiseConvPath path)
    {
        long channels = kernel.shape[0];
        long k = kernel.shape[2];
        bool needsGradient = is_grad_enabled() && (input.requires_grad || kernel.requires_grad || (bias?.requires_grad ?? false));
        return Resolve(path, k, input.device_type, needsGradient) switch
        {
            DepthwiseConvPath.Fft => FftDepthwiseConvolution.Apply(input, kernel, bias),
            // A null bias travels as a non-tensor argument: the function then owes it no gradient.
            DepthwiseConvPath.DirectBackward => DirectBackwardDepthwiseFunction.apply(input, kernel, bias!),
            _ => nn.functional.conv3d(input, kernel, bias, padding: new[] { k / 2, k / 2, k / 2 }, groups: channels),
        };
    }

    /// <summary>The concrete path that <paramref name="path"/> stands for at kernel size <paramref name="kernelSize"/>.</summary>
    /// <remarks>
    /// Auto rule: non-CPU devices use <see cref="DepthwiseConvPath.Native"/> (cuDNN has a fast depthwise backward). On
    /// CPU, k &lt;= 3 uses libtorch's forward (<see cref="DepthwiseConvPath.Native"/> for inference,
    /// <see cref="DepthwiseConvPath.DirectBackward"/> when a gradient is needed) and k &gt;= 5 uses
    /// <see cref="DepthwiseConvPath.Fft"/>, whose cost barely depends on k. The threshold is low because oneDNN is
    /// capped at AVX for correctness (<see cref="Native.NativeRuntimeSettings"/>), which makes libtorch's depthwise
    /// forward 30-70x slower than with AVX-512. Measured with <c>pipeline bench dwconv</c> at 1x48x32^3 on 2 shared
    /// cores, oneDNN capped at AVX (ms; docs/benchmarks.md has the tables before and after the cap):
    /// <code>
    /// k    fwd: Native  Fft   fwd+bwd: Native  DirectBackward  Fft
    /// 3         186    225            562      362             537
    /// 5         854     62           2953     2194             156
    /// 7        2123     71          11034     6581             396
    /// 9        5139     92              -    13089             505
    /// 21      23548    175              -        -             548
    /// </code>
    /// </remarks>
    public static DepthwiseConvPath Resolve(DepthwiseConvPath path, long kernelSize, DeviceType device, bool needsGradient)
    {
        if (path != DepthwiseConvPath.Auto) return path;
        if (device != DeviceType.CPU) return DepthwiseConvPath.Native;
        if (kernelSize > LargestCpuDirectKernelSize) return DepthwiseConvPath.Fft;
        return needsGradient ? DepthwiseConvPath.DirectBackward : DepthwiseConvPath.Native;
    }
}
