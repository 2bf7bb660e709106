using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Nn;

/// <summary>The depthwise convolution kernels behind <see cref="DepthwiseConv3d"/>, one per <see cref="DepthwiseConvPath"/>.</summary>
public static class DepthwiseConvolution
{
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
            DepthwiseConvPath.DirectBackward => DirectBackwardDepthwiseFunction.apply(input, kernel, bias!),
            _ => nn.functional.conv3d(input, kernel, bias, padding: new[] { k / 2, k / 2, k / 2 }, groups: channels),
        };
    }

    /// <summary>The concrete path that <paramref name="path"/> stands for at kernel size <paramref name="kernelSize"/>.</summary>
    public static DepthwiseConvPath Resolve(DepthwiseConvPath path, long kernelSize, DeviceType device, bool needsGradient)
    {
        if (path != DepthwiseConvPath.Auto) return path;
        if (device != DeviceType.CPU) return DepthwiseConvPath.Native;
        if (needsGradient) return kernelSize <= 5 ? DepthwiseConvPath.DirectBackward : DepthwiseConvPath.Fft;
        return kernelSize <= 7 ? DepthwiseConvPath.Native : DepthwiseConvPath.Fft;
    }
}
