using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// Activation checkpointing for one segment of a network (what <c>torch.utils.checkpoint</c> does in its reentrant
/// form; TorchSharp 0.107 has no such utility, so it is built here as a custom autograd function). The forward pass
/// runs the segment without recording a graph and keeps only its input; the backward pass runs the segment again
/// with a graph, back-propagates the incoming gradient through it (which accumulates the gradients of the segment's
/// parameters) and returns the input's gradient. Memory for the segment's intermediate activations is traded for
/// a second forward pass.
/// </summary>
/// <remarks>
/// The CPU random-number state is saved before the forward pass and restored for the recomputation (and put back
/// afterwards), so dropout and drop-path draw the same masks both times and the gradients equal those of the plain
/// segment. Only the input's gradient flows back through the function: the segment's parameters get theirs from the
/// inner backward pass, and any other tensor the segment reads is a constant. Use it only when the input requires a
/// gradient; otherwise the backward pass never reaches the segment and its parameters would get no gradient.
/// Call through <see cref="Run"/>.
/// </remarks>
public sealed class ActivationCheckpoint : SingleTensorFunction<ActivationCheckpoint>
{
    private const string SegmentKey = "segment";
    private const string RandomStateKey = "random_state";

    /// <inheritdoc />
    public override string Name => nameof(ActivationCheckpoint);

    /// <summary><paramref name="segment"/>(<paramref name="input"/>), without keeping the segment's activations.</summary>
    /// <param name="input">The segment's input; it must require a gradient.</param>
    /// <param name="segment">
    /// A deterministic function of the input, the module parameters it closes over and the random-number state.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not require a gradient.</exception>
    public static Tensor Run(Tensor input, Func<Tensor, Tensor> segment)
    {
        if (!input.requires_grad)
            throw new ArgumentException("Activation checkpointing needs an input that requires a gradient; call the segment directly instead.", nameof(input));
        return apply(input, segment);
    }

    /// <inheritdoc />
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var segment = (Func<Tensor, Tensor>)vars[1];
        ctx.save_for_backward(new List<Tensor> { input });
        ctx.save_data(SegmentKey, segment);
        using (var state = get_rng_state())
            ctx.save_data(RandomStateKey, state.data<byte>().ToArray());
        return segment(input);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        var input = ctx.get_saved_variables()[0];
        var segment = (Func<Tensor, Tensor>)ctx.get_data(SegmentKey);
        var savedState = (byte[])ctx.get_data(RandomStateKey);

        var currentState = get_rng_state();
        Tensor inputGradient;
        try
        {
            set_rng_state(tensor(savedState));
            using (enable_grad())
            {
                var replayInput = input.detach().requires_grad_(true);
                var output = segment(replayInput);
                autograd.backward(new List<Tensor> { output }, new List<Tensor> { gradOutput });
                inputGradient = replayInput.grad ?? zeros_like(replayInput);
            }
        }
        finally
        {
            set_rng_state(currentState);
        }
        return new List<Tensor> { inputGradient.MoveToOuterDisposeScope(), null! };
    }
}
