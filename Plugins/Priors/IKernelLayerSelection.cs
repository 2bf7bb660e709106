namespace Pipeline.Plugins.Priors;

/// <summary>Options of a prior that re-parameterizes depthwise layers chosen by kernel size.</summary>
public interface IKernelLayerSelection
{
    /// <summary>
    /// Every <see cref="Pipeline.Core.Nn.DepthwiseConv3d"/> of the network whose kernel size is at least this gets
    /// the prior; smaller ones stay plain (YAML key <c>min_kernel_size</c>).
    /// </summary>
    int MinKernelSize { get; }
}
