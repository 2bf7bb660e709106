using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>A batch of training patches, in the caller's dispose scope.</summary>
/// <param name="Images">float32 [N, C, d, h, w].</param>
/// <param name="Labels">int64 [N, d, h, w] class indices.</param>
public sealed record PatchBatch(Tensor Images, Tensor Labels);
