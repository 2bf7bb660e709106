using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Priors.Structural;

/// <summary>
/// Structural re-parameterization (RepLKNet-style) of a large depthwise kernel: the layer computes
/// BN_k(conv_k(x) + b) + Σ_s BN_s(conv_s(x)), where conv_k is the layer's own kernel and bias, <c>bn</c> its batch
/// normalisation, and each of <c>branches</c> a smaller depthwise kernel with its own batch normalisation. In eval
/// mode every term is affine per channel, so <see cref="FoldInto"/> merges it exactly into one k×k×k kernel and bias:
/// each BN becomes scale γ/√(σ² + ε) and shift β − μ·scale (running statistics), and each small kernel is zero-padded
/// to k and added. Keys under the layer: <c>reparam.bn.*</c>, <c>reparam.branches.{i}.conv.weight</c>,
/// <c>reparam.branches.{i}.bn.*</c>.
/// </summary>
public sealed class StructuralReparameterization : KernelReparameterization
{
    /// <summary>BatchNorm epsilon of every branch.</summary>
    public const double NormEpsilon = 1e-5;

    /// <summary>BatchNorm running-statistics momentum of every branch.</summary>
    public const double NormMomentum = 0.1;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Batch normalisation of the layer's own large-kernel output.</summary>
    public readonly BatchNorm3d bn;
    /// <summary>The small-kernel branches.</summary>
    public readonly ModuleList<SmallKernelBranch> branches;
#pragma warning restore IDE1006

    /// <param name="channels">Channels C of the layer.</param>
    /// <param name="kernelSize">The layer's kernel size k.</param>
    /// <param name="branchKernelSizes">Odd kernel sizes of the branches, each smaller than <paramref name="kernelSize"/>.</param>
    /// <param name="path">How the branches' convolutions are computed (the layer's own path).</param>
    public StructuralReparameterization(int channels, int kernelSize, IReadOnlyList<int> branchKernelSizes, DepthwiseConvPath path)
        : base(nameof(StructuralReparameterization))
    {
        foreach (int size in branchKernelSizes)
            if (size <= 0 || size % 2 == 0 || size >= kernelSize)
                throw new ArgumentOutOfRangeException(nameof(branchKernelSizes), size,
                    $"every branch kernel size must be odd, positive and smaller than the layer's {kernelSize}.");
        KernelSize = kernelSize;
        bn = nn.BatchNorm3d(channels, eps: NormEpsilon, momentum: NormMomentum);
        branches = nn.ModuleList(branchKernelSizes.Select(size => new SmallKernelBranch(channels, size, path)).ToArray());
        RegisterComponents();
    }

    /// <summary>The layer's kernel size k.</summary>
    public int KernelSize { get; }

    /// <inheritdoc />
    public override Tensor Forward(DepthwiseConv3d layer, Tensor input)
    {
        var output = bn.call(layer.Convolve(input, layer.weight, layer.bias));
        foreach (var branch in branches)
            output = output + branch.call(input);
        return output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The layer has no bias to absorb the BatchNorm shifts.</exception>
    public override void FoldInto(DepthwiseConv3d layer)
    {
        if (layer.bias is null)
            throw new InvalidOperationException("A structural re-parameterization folds into the layer's bias, but the layer has none.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // In float64, so the merged kernel carries only the final rounding to the layer's dtype.
        var (scale, shift) = ScaleAndShift(bn);
        var kernel = layer.weight.to_type(ScalarType.Float64) * scale.view(-1, 1, 1, 1, 1);
        var bias = layer.bias.to_type(ScalarType.Float64) * scale + shift;
        foreach (var branch in branches)
        {
            var (branchScale, branchShift) = ScaleAndShift(branch.bn);
            long margin = (KernelSize - branch.KernelSize) / 2;
            var padded = nn.functional.pad(branch.conv.weight.to_type(ScalarType.Float64) * branchScale.view(-1, 1, 1, 1, 1),
                new[] { margin, margin, margin, margin, margin, margin });
            kernel = kernel + padded;
            bias = bias + branchShift;
        }
        layer.weight.copy_(kernel);
        layer.bias.copy_(bias);
    }

    /// <summary>The eval-mode BatchNorm as y = scale·x + shift per channel, in float64.</summary>
    private static (Tensor Scale, Tensor Shift) ScaleAndShift(BatchNorm3d norm)
    {
        var mean = norm.running_mean!.to_type(ScalarType.Float64);
        var variance = norm.running_var!.to_type(ScalarType.Float64);
        var scale = norm.weight!.to_type(ScalarType.Float64) / (variance + norm.eps).sqrt();
        return (scale, norm.bias!.to_type(ScalarType.Float64) - mean * scale);
    }
}
