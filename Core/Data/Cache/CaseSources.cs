namespace Pipeline.Core.Data.Cache;

/// <summary>The source files a case is read from, as far as its dataset tells.</summary>
public static class CaseSources
{
    /// <summary>
    /// The image and label files of <paramref name="caseId"/> when the dataset (under any preprocessing) is a
    /// <see cref="FileSegmentationDataset"/>; empty for generated datasets, whose options fix their cases.
    /// </summary>
    public static IReadOnlyList<string> Of(ISegmentationDataset dataset, string caseId) => dataset switch
    {
        PreprocessedDataset preprocessed => Of(preprocessed.Inner, caseId),
        DiskCachedDataset cached => Of(cached.Inner, caseId),
        FileSegmentationDataset files => Paths(files.FilesOf(caseId)),
        _ => [],
    };

    private static List<string> Paths(CaseFiles files) => files.ImagePaths.Append(files.LabelPath).OfType<string>().ToList();
}
