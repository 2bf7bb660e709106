using Pipeline.Core.Data;
using Pipeline.Core.Imaging;

namespace Pipeline.Plugins.Datasets.Files;

/// <summary>The steps every layout plugin ends with: check options, plan splits, build the checked dataset.</summary>
public static class FileDatasetOpening
{
    /// <summary>Casts and validates the bound options; the error names the dataset and the key.</summary>
    public static T Require<T>(object options, DatasetOpenContext context) where T : FileDatasetOptions
    {
        if (options is not T typed)
            throw new ArgumentException($"Dataset '{context.Name}': expected {typeof(T).Name}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        var problems = typed.Validate().ToList();
        if (problems.Count > 0)
            throw new InvalidDatasetException(context.Name, string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")));
        return typed;
    }

    /// <summary>Plans the splits and opens the dataset with the options' checks.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="context">Dataset name, run folder, logger.</param>
    /// <param name="cases">Every case of the layout.</param>
    /// <param name="labels">Stored label value → the dataset's own label name.</param>
    /// <param name="inputChannels">Image channels per case.</param>
    /// <param name="publishedValidation">The layout's own validation list, if it has one.</param>
    /// <param name="reader">Reads volumes; the default reads NIfTI.</param>
    public static FileSegmentationDataset Open(FileDatasetOptions options, DatasetOpenContext context, IReadOnlyList<CaseFiles> cases,
        IReadOnlyDictionary<int, string> labels, int inputChannels, IReadOnlyList<string>? publishedValidation, IVolumeFileReader? reader = null)
    {
        if (cases.Count == 0) throw new InvalidDatasetException(context.Name, $"no case found under '{options.RootPath}'");
        LabelScheme scheme;
        try
        {
            scheme = LabelScheme.Create(labels, options.Merge);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDatasetException(context.Name, $"labels: {e.Message}");
        }
        var splits = SplitPlanner.Plan(options, cases, publishedValidation, context);
        return new FileSegmentationDataset(context.Name, cases, splits, scheme, inputChannels, reader ?? new VolumeFileReader(), options.Settings, context.Logger);
    }
}
