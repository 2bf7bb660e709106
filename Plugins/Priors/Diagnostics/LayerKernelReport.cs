namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>The effective kernel of one depthwise layer of a network, measured.</summary>
/// <param name="Layer">The layer's module path, e.g. <c>repuxnet_3d.stages.0.0.dwconv</c>.</param>
/// <param name="Channels">Channels C.</param>
/// <param name="KernelSize">Kernel size k.</param>
/// <param name="Reparameterization">The installed re-parameterization's module name, or <c>none</c>.</param>
/// <param name="Profile">The effective kernel's profile.</param>
public sealed record LayerKernelReport(string Layer, int Channels, int KernelSize, string Reparameterization, KernelProfile Profile);
