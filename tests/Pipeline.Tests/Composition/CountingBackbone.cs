using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Tests.Composition;

public sealed class ConstructionCounter
{
    private int _count;
    public int Count => _count;
    public void Increment() => Interlocked.Increment(ref _count);
}

/// <summary>A test export that counts its constructions, to prove listing is lazy.</summary>
[ExportBackbone("counting-test-backbone", "0.0.1", "Counts how often it is constructed.")]
public sealed class CountingBackbone : IBackbone
{
    public static readonly AsyncLocal<ConstructionCounter?> Counter = new();

    public CountingBackbone() => Counter.Value?.Increment();

    public Type OptionsType => typeof(object);

    public SegmentationNetwork Build(object options) => throw new NotSupportedException("test part");
}
