using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;

namespace Pipeline.Plugins.Datasets.NiftiFolder;

/// <summary>
/// The <c>nifti-folder</c> dataset plugin: any folder of NIfTI images with label maps in another folder, paired by the
/// case id that the two file-name patterns capture. Images without a label are unlabelled (<c>test</c>) cases.
/// </summary>
[ExportDataset("nifti-folder", "1.0.0", "Generic NIfTI image/label folders paired by file-name pattern.")]
public sealed class NiftiFolderDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(NiftiFolderDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<NiftiFolderDatasetOptions>(options, context);
        string images = Path.Combine(typed.RootPath, typed.Images);
        string labels = Path.Combine(typed.RootPath, typed.Labels);
        if (!Directory.Exists(images)) throw new InvalidDatasetException(context.Name, $"image folder '{images}' not found (option 'images')");
        Dictionary<string, string> imageFiles, labelFiles;
        try
        {
            imageFiles = PatternCheck.FilesByKey(images, typed.ImagePattern);
            labelFiles = Directory.Exists(labels) ? PatternCheck.FilesByKey(labels, typed.LabelPattern) : [];
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDatasetException(context.Name, e.Message);
        }
        var orphans = labelFiles.Keys.Except(imageFiles.Keys).ToList();
        if (orphans.Count > 0)
            throw new InvalidDatasetException(context.Name, $"label file(s) without an image: {string.Join(", ", orphans.Take(10).Select(k => labelFiles[k]))}");
        var cases = imageFiles.OrderBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => new CaseFiles(i.Key, [i.Value], labelFiles.GetValueOrDefault(i.Key))).ToList();
        var classNames = typed.ClassNames.ToDictionary(c => int.Parse(c.Key), c => c.Value);
        return FileDatasetOpening.Open(typed, context, cases, classNames, inputChannels: 1, publishedValidation: null);
    }
}
