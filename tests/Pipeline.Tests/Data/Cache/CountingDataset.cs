using Pipeline.Core.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Data.Cache;

/// <summary>A dataset of cases built by a function of the case id, counting its loads.</summary>
internal sealed class CountingDataset(IReadOnlyList<string> ids, Func<string, SegmentationCase> build, int classes = 3) : ISegmentationDataset
{
    private int _loads;

    public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => c == 0 ? "background" : $"class{c}").ToList();

    public int InputChannels => 1;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits => new Dictionary<string, IReadOnlyList<string>> { ["train"] = ids };

    /// <summary>Loads so far (from any thread).</summary>
    public int Loads => Volatile.Read(ref _loads);

    public SegmentationCase Load(string caseId)
    {
        Interlocked.Increment(ref _loads);
        return build(caseId);
    }

    /// <summary>A case with the given image values (one channel) and labels, shape [D, H, W], a non-trivial affine.</summary>
    public static SegmentationCase Case(string id, Tensor image, Tensor? label)
    {
        var affine = new Pipeline.Core.Imaging.AffineMatrix([0, 0, -1.5, 10, 0.8, 0, 0, -20.25, 0, 2.5, 0, 7, 0, 0, 0, 1]);
        return new SegmentationCase(id, image, label, affine.Spacing(), affine);
    }
}
