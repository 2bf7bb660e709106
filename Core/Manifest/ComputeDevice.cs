namespace Pipeline.Core.Manifest;

/// <summary>Where a pipeline's tensors live; YAML <c>device: auto | cpu | cuda</c>.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when available, else the CPU (the default).</summary>
    Auto,
    /// <summary>Always the CPU.</summary>
    Cpu,
    /// <summary>The first CUDA device; fails when there is none.</summary>
    Cuda,
}
