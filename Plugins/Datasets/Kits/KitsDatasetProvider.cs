using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.Kits;

/// <summary>
/// The <c>kits</c> dataset plugin: KiTS case folders as released — <c>case_NNNNN/imaging.nii.gz</c> with
/// <c>segmentation.nii.gz</c> (KiTS19, KiTS23) or <c>aggregated_MAJ_seg.nii.gz</c> (KiTS21), under the root or its
/// <c>data/</c> or <c>dataset/</c> folder. Labels: 1 kidney, 2 tumour, 3 cyst (KiTS19 has no cyst). Folders without
/// a segmentation are unlabelled test cases.
/// </summary>
[ExportDataset("kits", "1.0.0", "KiTS19/21/23 case folders (imaging + segmentation); kidney, tumour, cyst.")]
public sealed class KitsDatasetProvider : IDatasetProvider
{
    private static readonly string[] SegmentationNames = ["segmentation.nii.gz", "aggregated_MAJ_seg.nii.gz", "segmentation.nii"];

    /// <inheritdoc />
    public Type OptionsType => typeof(KitsDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<KitsDatasetOptions>(options, context);
        string root = typed.RootPath;
        string casesFolder = new[] { root, Path.Combine(root, "data"), Path.Combine(root, "dataset") }
            .FirstOrDefault(f => Directory.Exists(f) && Directory.EnumerateDirectories(f, "case_*").Any())
            ?? throw new InvalidDatasetException(context.Name, $"no case_NNNNN folder under '{root}', '{root}/data' or '{root}/dataset' (the KiTS layout)");
        var cases = new List<CaseFiles>();
        foreach (var folder in Directory.EnumerateDirectories(casesFolder, "case_*").Order(StringComparer.Ordinal))
        {
            string image = new[] { "imaging.nii.gz", "imaging.nii" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
                           ?? Path.Combine(folder, "imaging.nii.gz");
            string? label = SegmentationNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
            cases.Add(new CaseFiles(Path.GetFileName(folder), [image], label));
        }
        var labels = new Dictionary<int, string> { [0] = "background", [1] = "kidney", [2] = "kidney_tumor", [3] = "kidney_cyst" };
        if (typed.MergeIntoKidney)
        {
            typed.Merge.TryAdd("kidney_tumor", "kidney");
            typed.Merge.TryAdd("kidney_cyst", "kidney");
        }
        return FileDatasetOpening.Open(typed, context, cases, labels, inputChannels: 1, publishedValidation: null);
    }
}
