using System.Globalization;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.TciaPancreas;

/// <summary>
/// The <c>tcia-pancreas</c> dataset plugin: NIH Pancreas-CT (TCIA) with its DICOM series converted to NIfTI
/// (<c>PANCREAS_0001.nii.gz</c>, found anywhere under the root) and the NIH label files (<c>label0001.nii.gz</c>),
/// paired by case number (leading zeros ignored). Label 1 is the pancreas. Case ids are <c>pancreas_NNNN</c>.
/// </summary>
[ExportDataset("tcia-pancreas", "1.0.0", "NIH Pancreas-CT (TCIA) converted to NIfTI: PANCREAS_NNNN + labelNNNN; pancreas.")]
public sealed class TciaPancreasDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(TciaPancreasDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<TciaPancreasDatasetOptions>(options, context);
        Dictionary<string, string> images, labels;
        try
        {
            images = ByNumber(PatternCheck.FilesByKey(typed.RootPath, typed.ImagePattern));
            labels = ByNumber(PatternCheck.FilesByKey(typed.RootPath, typed.LabelPattern));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDatasetException(context.Name, e.Message);
        }
        var orphans = labels.Keys.Except(images.Keys).ToList();
        if (orphans.Count > 0)
            throw new InvalidDatasetException(context.Name, $"label file(s) without an image: {string.Join(", ", orphans.Select(k => labels[k]))}");
        var cases = images.OrderBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => new CaseFiles($"pancreas_{i.Key}", [i.Value],
                labels.TryGetValue(i.Key, out var label) ? label : Path.Combine(Path.GetDirectoryName(i.Value)!, $"label{i.Key}.nii.gz")))
            .ToList();
        var labelNames = new Dictionary<int, string> { [0] = "background", [1] = "pancreas" };
        return FileDatasetOpening.Open(typed, context, cases, labelNames, inputChannels: 1, publishedValidation: null);
    }

    /// <summary>Keys normalised to 4-digit numbers so <c>PANCREAS_0001</c> pairs with <c>label0001</c> or <c>label1</c>.</summary>
    private static Dictionary<string, string> ByNumber(Dictionary<string, string> byKey) =>
        byKey.ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture).ToString("0000", CultureInfo.InvariantCulture), kv => kv.Value);
}
