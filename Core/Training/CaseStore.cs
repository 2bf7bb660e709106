using Pipeline.Core.Data;

namespace Pipeline.Core.Training;

/// <summary>
/// The cases of one split, either kept in memory after their first load (fast; memory grows with the split) or
/// loaded for each use and disposed right after (slow; memory stays at one case). Cached tensors are detached from
/// any dispose scope, so a case first loaded inside a training step survives that step.
/// </summary>
public sealed class CaseStore : IDisposable
{
    private readonly ISegmentationDataset _dataset;
    private readonly SegmentationCase?[]? _cache;

    /// <param name="dataset">The opened dataset.</param>
    /// <param name="caseIds">The split's case ids.</param>
    /// <param name="keepInMemory">Whether to keep every case after its first load.</param>
    public CaseStore(ISegmentationDataset dataset, IReadOnlyList<string> caseIds, bool keepInMemory)
    {
        _dataset = dataset;
        CaseIds = caseIds;
        _cache = keepInMemory ? new SegmentationCase?[caseIds.Count] : null;
    }

    /// <summary>The split's case ids, in order.</summary>
    public IReadOnlyList<string> CaseIds { get; }

    /// <summary>Number of cases.</summary>
    public int Count => CaseIds.Count;

    /// <summary>
    /// Runs <paramref name="use"/> on case <paramref name="index"/>. The case is only valid during the call:
    /// results must not be views of its tensors unless they are copied.
    /// </summary>
    public T Use<T>(int index, Func<SegmentationCase, T> use)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (_cache is null)
        {
            using var transient = _dataset.Load(CaseIds[index]);
            return use(transient);
        }
        var cached = _cache[index];
        if (cached is null)
        {
            cached = _dataset.Load(CaseIds[index]);
            cached.Image.DetachFromDisposeScope();
            cached.Label?.DetachFromDisposeScope();
            _cache[index] = cached;
        }
        return use(cached);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_cache is null) return;
        for (int i = 0; i < _cache.Length; i++)
        {
            _cache[i]?.Dispose();
            _cache[i] = null;
        }
    }
}
