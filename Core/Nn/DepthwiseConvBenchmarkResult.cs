namespace Pipeline.Core.Nn;

/// <summary>One row of <see cref="DepthwiseConvBenchmark.Run"/>: one path at one kernel size and input shape.</summary>
/// <param name="Path">The path timed.</param>
/// <param name="KernelSize">Cubic kernel size k.</param>
/// <param name="Shape">Input shape [N, C, D, H, W].</param>
/// <param name="ForwardMs">Fastest forward, without autograd, in milliseconds.</param>
/// <param name="ForwardBackwardMs">Fastest forward plus backward (input, kernel and bias gradients) in milliseconds;
/// null where it was not timed (see <see cref="DepthwiseConvBenchmarkOptions.NativeBackwardMaxKernelSize"/>).</param>
/// <param name="MaxAbsDiff">Largest absolute difference of the forward output from libtorch's conv3d.</param>
public sealed record DepthwiseConvBenchmarkResult(
    DepthwiseConvPath Path,
    int KernelSize,
    IReadOnlyList<long> Shape,
    double ForwardMs,
    double? ForwardBackwardMs,
    double MaxAbsDiff)
{
    /// <summary>The input shape as <c>NxCxDxHxW</c>.</summary>
    public string ShapeText => string.Join("x", Shape);
}
