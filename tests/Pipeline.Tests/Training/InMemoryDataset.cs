using Pipeline.Core.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>A dataset over hand-made cases: each load returns fresh copies of the stored arrays.</summary>
internal sealed class InMemoryDataset(IReadOnlyList<string> classNames, params (string Id, float[] Image, long[] Label, long[] Shape)[] cases)
    : ISegmentationDataset
{
    public IReadOnlyList<string> ClassNames => classNames;

    public int InputChannels => 1;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits { get; } =
        new Dictionary<string, IReadOnlyList<string>> { ["train"] = cases.Select(c => c.Id).ToArray() };

    public SegmentationCase Load(string caseId)
    {
        var (id, image, label, shape) = cases.Single(c => c.Id == caseId);
        return new SegmentationCase(id, tensor(image, [1, .. shape]), tensor(label, shape), [1, 1, 1]);
    }
}
