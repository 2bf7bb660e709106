using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pipeline.Core.Nn;

/// <summary>
/// Depthwise conv3d ("same" padding) with libtorch's forward and a hand-written backward made of ordinary
/// convolutions, which libtorch's CPU runs far faster than its own depthwise conv3d backward.
/// Call through <c>apply(input, kernel, bias)</c>; <c>bias</c> may be null.
/// </summary>
/// <remarks>
/// With y = conv3d(x, w, padding p = k/2, groups = C), i.e. y[n,c,o] = Σ_t w[c,t]·x[n,c,o+t-p]:
/// <list type="bullet">
/// <item>dx = conv3d(g, flip(w), padding p, groups C): the adjoint of a cross-correlation is a convolution, and for
/// odd k the flipped kernel keeps the same centre.</item>
/// <item>dw[c,t] = Σ_n Σ_o g[n,c,o]·xpad[n,c,o+t]: a cross-correlation of the padded input with g as the kernel; one
/// group per (n, c) pair, summed over n.</item>
/// <item>db[c] = Σ_{n,o} g[n,c,o].</item>
/// </list>
/// </remarks>
internal sealed class DirectBackwardDepthwiseFunction : SingleTensorFunction<DirectBackwardDepthwiseFunction>
{
    private const string NeedsGradientKey = "needs_gradient";
    private const string KernelSizeKey = "kernel_size";

    /// <inheritdoc />
    public override string Name => nameof(DirectBackwardDepthwiseFunction);

    /// <inheritdoc />
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var (input, kernel, bias) = Unpack(vars);
        var needsGradient = new[] { input.requires_grad, kernel.requires_grad, bias?.requires_grad ?? false };
        long k = kernel.shape[2];
        ctx.save_data(NeedsGradientKey, needsGradient);
        ctx.save_data(KernelSizeKey, k);
        // Each gradient needs only the other operand, so save just what a requested gradient will read.
        ctx.save_for_backward(new List<Tensor> { needsGradient[1] ? input : null!, needsGradient[0] ? kernel : null! });
        return nn.functional.conv3d(input, kernel, bias, padding: new[] { k / 2, k / 2, k / 2 }, groups: kernel.shape[0]);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        var needsGradient = (bool[])ctx.get_data(NeedsGradientKey);
        long k = (long)ctx.get_data(KernelSizeKey);
        var saved = ctx.get_saved_variables();
        Tensor? input = saved[0], kernel = saved[1];
        // The engine may hand over an expanded (stride-0) gradient, e.g. from sum(); the reshapes below need real data.
        var grad = gradOutput.contiguous();

        Tensor? inputGradient = null, kernelGradient = null, biasGradient = null;
        if (needsGradient[0])
            inputGradient = InputGradient(grad, kernel!).MoveToOuterDisposeScope();
        if (needsGradient[1])
            kernelGradient = KernelGradient(grad, input!, k).MoveToOuterDisposeScope();
        if (needsGradient[2])
            biasGradient = grad.sum(new long[] { 0, 2, 3, 4 }).MoveToOuterDisposeScope();
        return new List<Tensor> { inputGradient!, kernelGradient!, biasGradient! };
    }

    private static Tensor InputGradient(Tensor grad, Tensor kernel)
    {
        long k = kernel.shape[2];
        return nn.functional.conv3d(grad, kernel.flip(2, 3, 4), padding: new[] { k / 2, k / 2, k / 2 }, groups: kernel.shape[0]);
    }

    private static Tensor KernelGradient(Tensor grad, Tensor input, long k)
    {
        long n = input.shape[0], c = input.shape[1], p = k / 2;
        var padded = nn.functional.pad(input, new[] { p, p, p, p, p, p })
            .reshape(1, n * c, input.shape[2] + 2 * p, input.shape[3] + 2 * p, input.shape[4] + 2 * p);
        var gradAsKernel = grad.reshape(n * c, 1, grad.shape[2], grad.shape[3], grad.shape[4]);
        // [1, N*C, k, k, k] -> [N, C, k, k, k] -> sum over the batch (dim: names the overload; a bare 0 binds to
        // sum(ScalarType) and reduces everything) -> [C, 1, k, k, k].
        return nn.functional.conv3d(padded, gradAsKernel, groups: n * c)
            .reshape(n, c, k, k, k)
            .sum(dim: 0)
            .unsqueeze(1);
    }

    private static (Tensor Input, Tensor Kernel, Tensor? Bias) Unpack(object[] vars)
    {
        if (vars.Length != 3 || vars[0] is not Tensor input || vars[1] is not Tensor kernel || (vars[2] is not null && vars[2] is not Tensor))
            throw new ArgumentException($"{nameof(DirectBackwardDepthwiseFunction)} expects (input, kernel, bias-or-null).", nameof(vars));
        return (input, kernel, vars[2] as Tensor);
    }
}
