using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>What a prediction produces and what is known about the network, for <see cref="InferenceMemoryEstimate"/>.</summary>
public sealed record InferenceMemoryOptions
{
    /// <summary>Type of the label map (default uint8).</summary>
    public ScalarType LabelType { get; init; } = ScalarType.Byte;

    /// <summary>Type of the probabilities, or null for none (default).</summary>
    public ScalarType? ProbabilityType { get; init; }

    /// <summary>
    /// The network's intermediate activations in bytes per window voxel at batch size 1 (e.g. 4 bytes × the channels
    /// alive at once), or null when unknown: activations are then left out and the estimate says so.
    /// </summary>
    public double? ActivationBytesPerVoxel { get; init; }
}
