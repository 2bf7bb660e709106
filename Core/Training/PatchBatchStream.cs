using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// The training batches of one session, drawn by a <see cref="PatchSampler"/> from a <see cref="CaseStore"/>,
/// optionally transformed (augmentation), and handed out in order, optionally prefetched on a background thread
/// (<see cref="Prefetcher{T}"/>), so that case loading, patch sampling and augmentation overlap the training step.
/// <para>Exact resumption: the batches depend only on the sampler's state, which only the producer touches, and on
/// the batch's index in the stream (which the transform may use to seed its draws), so they are the same with or
/// without prefetching. The producer may have drawn further than the consumer has used;
/// <see cref="ConsumedState"/> is the sampler's state after the last batch handed out, which is what a checkpoint
/// must save.</para>
/// <para>While the stream is alive the sampler and the case store belong to it (they may be in use on the producer
/// thread); dispose the stream before using them otherwise.</para>
/// </summary>
public sealed class PatchBatchStream : IDisposable
{
    private readonly PatchSampler _sampler;
    private readonly CaseStore _cases;
    private readonly int _batchSize;
    private readonly Func<PatchBatch, long, PatchBatch>? _transform;
    private readonly Prefetcher<SampledBatch> _prefetcher;

    /// <param name="sampler">Draws the patches; its current state is where the stream starts.</param>
    /// <param name="cases">The training cases.</param>
    /// <param name="batchSize">Patches per batch.</param>
    /// <param name="batches">Batches the stream hands out in all (the producer draws no more).</param>
    /// <param name="prefetch">Batches drawn ahead on a background thread; 0 draws each on the caller's thread.</param>
    /// <param name="transform">
    /// Applied to each drawn batch with its index in the stream (0, 1, ...), on the producer's thread; returns a new
    /// batch in the caller's dispose scope and must depend only on its arguments (e.g. augmentation seeded by the
    /// index). Null for none.
    /// </param>
    public PatchBatchStream(PatchSampler sampler, CaseStore cases, int batchSize, long batches, int prefetch,
                            Func<PatchBatch, long, PatchBatch>? transform = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _sampler = sampler;
        _cases = cases;
        _batchSize = batchSize;
        _transform = transform;
        ConsumedState = sampler.CaptureState();
        _prefetcher = new Prefetcher<SampledBatch>(Draw, batches, prefetch, "patch-prefetch");
    }

    /// <summary>The sampler's state after the last batch handed out (at the start: its state when the stream was made).</summary>
    public PatchSamplerState ConsumedState { get; private set; }

    /// <summary>Batches prefetched at most.</summary>
    public int Prefetch => _prefetcher.Capacity;

    /// <summary>How long the last <see cref="Next"/> waited for its batch (without prefetching: the time to draw it).</summary>
    public TimeSpan LastWait => _prefetcher.LastWait;

    /// <summary>Total time <see cref="Next"/> waited.</summary>
    public TimeSpan TotalWait => _prefetcher.TotalWait;

    /// <summary>The next batch; the caller disposes it.</summary>
    public SampledBatch Next()
    {
        var next = _prefetcher.Next();
        ConsumedState = next.StateAfter;
        return next;
    }

    /// <summary>Stops the producer and disposes the batches drawn ahead.</summary>
    public void Dispose() => _prefetcher.Dispose();

    private SampledBatch Draw(long index)
    {
        using var scope = NewDisposeScope();
        var batch = _sampler.SampleBatch(_cases, _batchSize);
        var state = _sampler.CaptureState();
        if (_transform is not null) batch = _transform(batch, index);
        // Out of this thread's scopes: the consumer, on another thread, disposes them.
        batch.Images.DetachFromDisposeScope();
        batch.Labels.DetachFromDisposeScope();
        return new SampledBatch(batch, state);
    }
}
