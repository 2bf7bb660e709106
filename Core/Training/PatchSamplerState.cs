namespace Pipeline.Core.Training;

/// <summary>
/// Where a <see cref="PatchSampler"/> stands: its generator's state and how many batches it has drawn. Restoring it
/// makes the sampler continue with exactly the patches it would have drawn next.
/// </summary>
/// <param name="GeneratorState">The bytes of the sampler's torch generator state (<c>Generator.get_state</c>).</param>
/// <param name="BatchesDrawn">Batches drawn since the sampler was created with its seed.</param>
public sealed record PatchSamplerState(byte[] GeneratorState, long BatchesDrawn);
