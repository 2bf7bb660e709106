namespace Pipeline.Core.Training;

/// <summary>
/// A batch of training patches with the sampler's position right after drawing it: a checkpoint taken once this
/// batch is used saves <see cref="StateAfter"/>, so a resumed run draws the batch that follows it, however far ahead
/// a producer had drawn. The batch's tensors belong to no dispose scope: dispose this object when done.
/// </summary>
/// <param name="batch">The patches.</param>
/// <param name="stateAfter">The sampler's state after the batch.</param>
public sealed class SampledBatch(PatchBatch batch, PatchSamplerState stateAfter) : IDisposable
{
    /// <summary>The patches.</summary>
    public PatchBatch Batch { get; } = batch;

    /// <summary>The sampler's state after drawing <see cref="Batch"/>.</summary>
    public PatchSamplerState StateAfter { get; } = stateAfter;

    /// <inheritdoc />
    public void Dispose()
    {
        Batch.Images.Dispose();
        Batch.Labels.Dispose();
    }
}
