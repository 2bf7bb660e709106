namespace Pipeline.Core.Nn;

/// <summary>
/// How a depthwise 3-D convolution is computed. All paths give the same result (within float rounding) and the same
/// gradients; they differ in speed. libtorch's CPU backward for depthwise conv3d is ~50x its forward, hence the others.
/// </summary>
public enum DepthwiseConvPath
{
    /// <summary>Pick by kernel size and device (see <see cref="DepthwiseConvolution.Resolve"/>).</summary>
    Auto,
    /// <summary>libtorch's grouped conv3d, forward and backward.</summary>
    Native,
    /// <summary>FFT convolution (rfftn, multiply, irfftn, crop) with autograd through it; best for large kernels.</summary>
    Fft,
    /// <summary>Native forward; custom backward built from ordinary (fast) convolutions.</summary>
    DirectBackward,
}
