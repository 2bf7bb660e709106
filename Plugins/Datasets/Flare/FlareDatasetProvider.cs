using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.Flare;

/// <summary>
/// The <c>flare</c> dataset plugin: FLARE 2021 as released by the organisers — <c>TrainingImg/train_NNN_0000.nii.gz</c>
/// with <c>TrainingMask/train_NNN.nii.gz</c>, and unlabelled <c>ValidationImg/validation_NNN_0000.nii.gz</c> — or
/// any datalist over it (the 3D UX-Net / RepUX-Net <c>dataset_FLARE.json</c>). Labels: liver, kidney, spleen,
/// pancreas in the order chosen by <c>label_order</c>.
/// </summary>
[ExportDataset("flare", "1.0.0", "FLARE 2021 abdominal CT (organisers' folders or a datalist JSON); 4 organs.")]
public sealed class FlareDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(FlareDatasetOptions);

    /// <summary>Stored value → organ for each label order.</summary>
    public static IReadOnlyDictionary<int, string> Labels(FlareLabelOrder order) => order switch
    {
        FlareLabelOrder.Organisers => new Dictionary<int, string> { [0] = "background", [1] = "liver", [2] = "kidney", [3] = "spleen", [4] = "pancreas" },
        _ => new Dictionary<int, string> { [0] = "background", [1] = "spleen", [2] = "kidney", [3] = "liver", [4] = "pancreas" },
    };

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<FlareDatasetOptions>(options, context);
        string root = typed.RootPath;
        List<CaseFiles> cases;
        List<string>? validation = null;
        if (typed.Datalist is not null)
        {
            var index = JsonDatasetIndex.Load(context.Name, Path.Combine(root, typed.Datalist));
            (cases, validation) = Datalist.Read(index, root, StripChannelSuffix);
        }
        else
        {
            cases = ReadOrganiserFolders(context.Name, root);
        }
        return FileDatasetOpening.Open(typed, context, cases, Labels(typed.LabelOrder), inputChannels: 1, validation);
    }

    /// <summary><c>train_000_0000.nii.gz</c> → <c>train_000</c>.</summary>
    private static string StripChannelSuffix(string imagePath)
    {
        string name = NiftiFileNames.CaseName(imagePath);
        return name.EndsWith("_0000", StringComparison.Ordinal) ? name[..^5] : name;
    }

    private static List<CaseFiles> ReadOrganiserFolders(string dataset, string root)
    {
        string images = Path.Combine(root, "TrainingImg");
        string masks = Path.Combine(root, "TrainingMask");
        foreach (var folder in new[] { images, masks })
            if (!Directory.Exists(folder))
                throw new InvalidDatasetException(dataset,
                    $"folder '{folder}' not found: the FLARE 2021 layout has TrainingImg/ and TrainingMask/ (or set 'datalist' to a datalist JSON)");
        var cases = Directory.EnumerateFiles(images).Where(NiftiFileNames.IsImage).Order(StringComparer.Ordinal)
            .Select(image =>
            {
                string id = StripChannelSuffix(image);
                return new CaseFiles(id, [image], Path.Combine(masks, id + ".nii.gz"));
            }).ToList();
        string validation = Path.Combine(root, "ValidationImg");
        if (Directory.Exists(validation))
            cases.AddRange(Directory.EnumerateFiles(validation).Where(NiftiFileNames.IsImage).Order(StringComparer.Ordinal)
                .Select(image => new CaseFiles(StripChannelSuffix(image), [image], null)));
        return cases;
    }
}
