using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Core.Nn;

/// <summary>
/// Depthwise 3-D convolution with a cubic odd kernel and "same" padding (k/2), the hot spot of UX-Net and RepUX-Net.
/// State-dict keys are <c>weight</c> [C, 1, k, k, k] and <c>bias</c> [C], like PyTorch's
/// <c>Conv3d(C, C, k, padding=k//2, groups=C)</c>. The computation path is interchangeable
/// (<see cref="DepthwiseConvPath"/>), and a weight prior may install a <see cref="KernelReparameterization"/>.
/// </summary>
public sealed class DepthwiseConv3d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Kernel, [C, 1, k, k, k].</summary>
    public Parameter weight;
    /// <summary>Per-channel bias, [C], or null.</summary>
    public Parameter? bias;
#pragma warning restore IDE1006

    /// <param name="channels">Number of channels C (input = output = groups).</param>
    /// <param name="kernelSize">Odd cubic kernel size k; padding is k/2 so the spatial size is kept.</param>
    /// <param name="hasBias">Whether the layer has a per-channel bias.</param>
    /// <param name="path">How the convolution is computed.</param>
    public DepthwiseConv3d(int channels, int kernelSize, bool hasBias = true, DepthwiseConvPath path = DepthwiseConvPath.Auto)
        : base(nameof(DepthwiseConv3d))
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive.");
        if (kernelSize <= 0 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel_size must be a positive odd number.");
        Channels = channels;
        KernelSize = kernelSize;
        Path = path;

        // PyTorch's Conv3d default init: kaiming_uniform(a=sqrt(5)) => U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        double bound = 1.0 / Math.Sqrt(kernelSize * kernelSize * kernelSize);
        using (no_grad())
        {
            weight = new Parameter(empty(new long[] { channels, 1, kernelSize, kernelSize, kernelSize }).uniform_(-bound, bound));
            bias = hasBias ? new Parameter(empty(channels).uniform_(-bound, bound)) : null;
        }
        RegisterComponents();
    }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>Kernel size k.</summary>
    public int KernelSize { get; }

    /// <summary>Computation path; <see cref="DepthwiseConvPath.Auto"/> resolves per call.</summary>
    public DepthwiseConvPath Path { get; set; }

    /// <summary>The installed re-parameterization, or null for a plain convolution.</summary>
    public KernelReparameterization? Reparameterization { get; private set; }

    /// <summary>Installs <paramref name="reparameterization"/>; its parameters join this layer's under <c>reparam.</c>.</summary>
    public void Install(KernelReparameterization reparameterization)
    {
        if (Reparameterization is not null)
            throw new InvalidOperationException($"A {Reparameterization.GetName()} re-parameterization is already installed on this layer.");
        Reparameterization = reparameterization;
        register_module("reparam", reparameterization);
    }

    /// <summary>Folds the installed re-parameterization into <see cref="weight"/> and <see cref="bias"/> and removes it.</summary>
    public void Fold()
    {
        if (Reparameterization is null) return;
        Reparameterization.FoldInto(this);
        UnregisterReparameterization();
        Reparameterization.Dispose();
        Reparameterization = null;
    }

    private void UnregisterReparameterization()
    {
        // TorchSharp keeps registered children in a private dictionary; rebuilding the registry from fields
        // after clearing it is the supported way to drop one.
        _internal_submodules.Remove("reparam");
    }

    /// <summary>Convolves <paramref name="input"/> with an explicit kernel and bias on this layer's path.</summary>
    public Tensor Convolve(Tensor input, Tensor kernel, Tensor? kernelBias) =>
        DepthwiseConvolution.Apply(input, kernel, kernelBias, Path);

    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        Reparameterization is null ? Convolve(input, weight, bias) : Reparameterization.Forward(this, input);
}
