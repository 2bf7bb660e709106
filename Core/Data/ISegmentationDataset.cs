namespace Pipeline.Core.Data;

/// <summary>An opened dataset: class vocabulary, splits of case ids, and case loading.</summary>
public interface ISegmentationDataset
{
    /// <summary>Class names indexed by label value; index 0 is the background.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of image channels (modalities).</summary>
    int InputChannels { get; }

    /// <summary>Named splits (e.g. <c>train</c>, <c>validation</c>) mapped to case ids.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> Splits { get; }

    /// <summary>Loads one case. The caller disposes it.</summary>
    SegmentationCase Load(string caseId);
}
