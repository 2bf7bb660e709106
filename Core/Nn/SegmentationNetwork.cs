using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Nn;

/// <summary>
/// A segmentation network built by a backbone plugin: maps an [N, C_in, D, H, W] image to [N, C_out, D, H, W] logits.
/// Its state_dict keys are those of the original PyTorch model, so checkpoints map 1:1.
/// </summary>
public abstract class SegmentationNetwork : nn.Module<Tensor, Tensor>
{
    /// <param name="name">Module name (used by TorchSharp for diagnostics only).</param>
    protected SegmentationNetwork(string name) : base(name) { }

    /// <summary>Number of input channels.</summary>
    public abstract int InChannels { get; }

    /// <summary>Number of output classes (logit channels).</summary>
    public abstract int OutChannels { get; }

    /// <summary>Every spatial input size must be a multiple of this (e.g. 16 for UX-Net, 32 for SwinUNETR).</summary>
    public abstract int SpatialDivisor { get; }

    /// <summary>
    /// True once the weight prior has been folded into plain layers (set by the model factory; saved in checkpoints so
    /// a folded network is rebuilt without the prior).
    /// </summary>
    public bool PriorFolded { get; set; }

    /// <summary>
    /// State_dict key prefixes of the encoder's parameters (e.g. <c>uxnet_3d.</c>), which fine-tuning freezes for its
    /// first iterations when asked to (the <c>transfer</c> stage's <c>freeze_encoder_iterations</c>). Empty when the
    /// network does not say; such a stage then needs its prefixes spelled out.
    /// </summary>
    public virtual IReadOnlyList<string> EncoderParameterPrefixes => [];

    /// <summary>The encoder's multi-scale outputs for <paramref name="input"/> (used by parity checks and diagnostics).</summary>
    public abstract IReadOnlyList<Tensor> EncoderFeatures(Tensor input);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the rule when <paramref name="input"/> cannot be processed,
    /// before any computation.
    /// </summary>
    public void CheckInput(Tensor input)
    {
        if (input.dim() != 5)
            throw new ArgumentException($"{GetName()}: expected a 5-D input [N, C, D, H, W], got shape [{string.Join(", ", input.shape)}].");
        if (input.shape[1] != InChannels)
            throw new ArgumentException($"{GetName()}: expected {InChannels} input channel(s), got {input.shape[1]}.");
        for (int axis = 2; axis < 5; axis++)
            if (input.shape[axis] % SpatialDivisor != 0)
                throw new ArgumentException(
                    $"{GetName()}: every spatial size must be divisible by {SpatialDivisor}; got [{string.Join(", ", input.shape.Skip(2))}].");
    }
}
