using Pipeline.Core.Data;
using Pipeline.Core.Imaging;
using Pipeline.Core.IO;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Datasets.BrainMri;

/// <summary>
/// The opened <c>brain-mri</c> dataset: each subject's T1 as the image and the non-zero voxels of its brain-extracted
/// image (Colin27) or skull-strip mask (ITK) as the brain label, on the T1's own grid. Splits: <c>train</c> and
/// <c>validation</c> (one subject each, by option), <c>all</c>, and one split per subject id.
/// </summary>
public sealed class BrainMriDataset : ISegmentationDataset
{
    private readonly IReadOnlyDictionary<string, (string Image, string Brain)> _files;
    private readonly IVolumeFileReader _reader;

    /// <param name="files">Case id → absolute image and brain file paths.</param>
    /// <param name="trainSubject">Case id of the train split.</param>
    /// <param name="validationSubject">Case id of the validation split.</param>
    /// <param name="reader">Reads the NIfTI files.</param>
    public BrainMriDataset(IReadOnlyDictionary<string, (string Image, string Brain)> files, string trainSubject, string validationSubject, IVolumeFileReader reader)
    {
        _files = files;
        _reader = reader;
        var splits = new Dictionary<string, IReadOnlyList<string>>
        {
            ["train"] = [trainSubject],
            ["validation"] = [validationSubject],
            ["all"] = files.Keys.ToList(),
        };
        foreach (var id in files.Keys) splits[id] = [id];
        Splits = splits;
    }

    /// <summary>Fetches the packages (once) and opens the dataset.</summary>
    public static BrainMriDataset Open(BrainMriDatasetOptions options, DebianPackageCache packages, CancellationToken cancellationToken = default)
    {
        var files = BrainMriSubject.All.ToDictionary(s => s.CaseId,
            s => (packages.FetchFile(s.Package, s.ImagePath, cancellationToken), packages.FetchFile(s.Package, s.BrainPath, cancellationToken)));
        return new BrainMriDataset(files, options.TrainSubject, options.ValidationSubject, new VolumeFileReader());
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; } = [OrganVocabulary.Background, "brain"];

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits { get; }

    /// <inheritdoc />
    public SegmentationCase Load(string caseId)
    {
        if (!_files.TryGetValue(caseId, out var files))
            throw new KeyNotFoundException($"brain-mri has no case '{caseId}'; cases: {string.Join(", ", _files.Keys)}");
        using var scope = NewDisposeScope();
        using var image = _reader.Read(files.Image);
        using var brain = _reader.Read(files.Brain);
        if (!brain.SpatialShape.SequenceEqual(image.SpatialShape) || !brain.Affine.ApproximatelyEquals(image.Affine, 1e-3))
            throw new InvalidDataException(
                $"brain-mri case '{caseId}': brain file {files.Brain} (shape [{string.Join(", ", brain.SpatialShape)}], affine {brain.Affine}) " +
                $"is not on the grid of {files.Image} (shape [{string.Join(", ", image.SpatialShape)}], affine {image.Affine})");
        var imageData = image.Data.clone().MoveToOuterDisposeScope();
        var label = brain.Data[0].gt(0).to_type(ScalarType.Int64).MoveToOuterDisposeScope();
        return new SegmentationCase(caseId, imageData, label, image.Spacing, image.Affine);
    }
}
