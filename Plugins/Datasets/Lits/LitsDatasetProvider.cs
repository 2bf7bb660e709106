using System.Text.RegularExpressions;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.Lits;

/// <summary>
/// The <c>lits</c> dataset plugin: LiTS as released — <c>volume-N.nii</c> with <c>segmentation-N.nii</c> anywhere
/// under the root (the release splits them over <c>Training Batch 1/2</c>), and unlabelled <c>test-volume-N.nii</c>.
/// Labels: 1 liver, 2 tumour. Case ids are <c>lits_N</c>.
/// </summary>
[ExportDataset("lits", "1.0.0", "LiTS volume-N / segmentation-N files; liver and tumour.")]
public sealed partial class LitsDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(LitsDatasetOptions);

    [GeneratedRegex(@"^(test-)?(volume|segmentation)-(\d+)\.nii(\.gz)?$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<LitsDatasetOptions>(options, context);
        var volumes = new Dictionary<int, string>();
        var segmentations = new Dictionary<int, string>();
        var tests = new Dictionary<int, string>();
        foreach (var path in Directory.EnumerateFiles(typed.RootPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var match = FileName().Match(Path.GetFileName(path));
            if (!match.Success) continue;
            int number = int.Parse(match.Groups[3].Value);
            var target = match.Groups[1].Success ? tests : match.Groups[2].Value.Equals("volume", StringComparison.OrdinalIgnoreCase) ? volumes : segmentations;
            if (target.TryGetValue(number, out var other))
                throw new InvalidDatasetException(context.Name, $"two files for the same LiTS case {number}: '{other}' and '{path}'");
            target[number] = path;
        }
        var cases = volumes.OrderBy(v => v.Key)
            .Select(v => new CaseFiles($"lits_{v.Key}", [v.Value],
                segmentations.TryGetValue(v.Key, out var label) ? label : Path.Combine(Path.GetDirectoryName(v.Value)!, $"segmentation-{v.Key}.nii")))
            .ToList();
        var orphans = segmentations.Keys.Except(volumes.Keys).ToList();
        if (orphans.Count > 0)
            throw new InvalidDatasetException(context.Name, $"segmentation file(s) without a volume: {string.Join(", ", orphans.Select(n => segmentations[n]))}");
        cases.AddRange(tests.OrderBy(t => t.Key).Select(t => new CaseFiles($"lits_test_{t.Key}", [t.Value], null)));
        if (typed.MergeIntoLiver) typed.Merge.TryAdd("liver_tumor", "liver");
        var labels = new Dictionary<int, string> { [0] = "background", [1] = "liver", [2] = "liver_tumor" };
        return FileDatasetOpening.Open(typed, context, cases, labels, inputChannels: 1, publishedValidation: null);
    }
}
