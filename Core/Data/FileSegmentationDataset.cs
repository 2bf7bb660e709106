using Microsoft.Extensions.Logging;
using Pipeline.Core.Imaging;
using static TorchSharp.torch;

namespace Pipeline.Core.Data;

/// <summary>
/// A dataset whose cases are image/label files on disk, as every published layout (MSD, nnU-Net, FLARE, KiTS, ...)
/// reduces to once its index is read: the layout-specific plugin lists the <see cref="CaseFiles"/>, the
/// <see cref="LabelScheme"/> and the splits; this class checks the cases (as far as
/// <see cref="FileDatasetSettings.Verification"/> asks) and loads them as float32 images with class-index labels.
/// Invalid cases either fail the open with every problem listed, or are left out of every split with a warning.
/// </summary>
public sealed class FileSegmentationDataset : ISegmentationDataset
{
    private readonly string _name;
    private readonly IVolumeFileReader _reader;
    private readonly LabelScheme _labels;
    private readonly FileDatasetSettings _settings;
    private readonly ILogger _logger;
    private readonly Dictionary<string, CaseFiles> _cases;

    /// <param name="name">The dataset's manifest name, for messages.</param>
    /// <param name="cases">Every case of the layout (labelled and unlabelled).</param>
    /// <param name="splits">Split name → case ids; invalid cases are removed from each.</param>
    /// <param name="labels">Stored label values → classes.</param>
    /// <param name="inputChannels">Channels every image must have in total (over its files).</param>
    /// <param name="reader">Reads headers and volumes.</param>
    /// <param name="settings">Checks and repairs.</param>
    /// <param name="logger">Receives a warning per skipped or repaired case.</param>
    /// <exception cref="InvalidDatasetException">A case is invalid and the policy is <see cref="InvalidCasePolicy.Fail"/>.</exception>
    public FileSegmentationDataset(string name, IReadOnlyList<CaseFiles> cases, IReadOnlyDictionary<string, IReadOnlyList<string>> splits,
        LabelScheme labels, int inputChannels, IVolumeFileReader reader, FileDatasetSettings settings, ILogger logger)
    {
        _name = name;
        _reader = reader;
        _labels = labels;
        _settings = settings;
        _logger = logger;
        InputChannels = inputChannels;
        ClassNames = labels.ClassNames;

        var duplicate = cases.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDatasetException(name, $"case id '{duplicate.Key}' is listed {duplicate.Count()} times");
        _cases = cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var (split, ids) in splits)
        {
            var unknown = ids.Where(id => !_cases.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
                throw new InvalidDatasetException(name, $"split '{split}' names case(s) not in the dataset: {string.Join(", ", unknown.Take(10))}");
        }

        var problems = cases.SelectMany(Check).ToList();
        var invalid = problems.Select(p => p.CaseId).ToHashSet(StringComparer.Ordinal);
        if (problems.Count > 0)
        {
            if (settings.OnInvalidCase == InvalidCasePolicy.Fail) throw new InvalidDatasetException(name, problems);
            foreach (var problem in problems)
                _logger.LogWarning("Dataset {Dataset}: skipping {Problem}", name, problem);
        }
        Splits = splits.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value.Where(id => !invalid.Contains(id)).ToList());
        SkippedCases = invalid.Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public int InputChannels { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits { get; }

    /// <summary>Cases left out because they failed the checks (empty under <see cref="InvalidCasePolicy.Fail"/>).</summary>
    public IReadOnlyList<string> SkippedCases { get; }

    /// <summary>The files of a case, e.g. to write a prediction next to its source.</summary>
    public CaseFiles FilesOf(string caseId) =>
        _cases.TryGetValue(caseId, out var files) ? files : throw new KeyNotFoundException($"dataset '{_name}' has no case '{caseId}'");

    /// <inheritdoc />
    public SegmentationCase Load(string caseId)
    {
        var files = FilesOf(caseId);
        using var scope = NewDisposeScope();
        var (image, affine, header) = LoadImage(files);
        Tensor? label = null;
        if (files.LabelPath is not null)
        {
            using var labelVolume = _reader.Read(files.LabelPath);
            var problem = CompareGrid(files, files.LabelPath, labelVolume.Data.shape[0], labelVolume.SpatialShape, labelVolume.Affine,
                image.shape.Skip(1).ToArray(), affine);
            if (problem is not null) throw new InvalidDatasetException(_name, [problem]);
            label = _labels.Apply(labelVolume.Data[0], $"dataset '{_name}', case '{caseId}' ({files.LabelPath})");
        }
        var result = new SegmentationCase(caseId, image, label, affine.Spacing(), affine, sourceHeader: header);
        scope.MoveToOuter(image);
        if (label is not null) scope.MoveToOuter(label);
        return result;
    }

    /// <summary>The channels stacked, with the first channel file's affine and header (predictions are written with them).</summary>
    private (Tensor Image, AffineMatrix Affine, object? Header) LoadImage(CaseFiles files)
    {
        var channels = new List<Tensor>();
        AffineMatrix? affine = null;
        object? header = null;
        long[]? shape = null;
        foreach (var path in files.ImagePaths)
        {
            using var volume = _reader.Read(path);
            shape ??= volume.SpatialShape;
            affine ??= volume.Affine;
            header ??= volume.SourceHeader;
            if (!volume.SpatialShape.SequenceEqual(shape))
                throw new InvalidDatasetException(_name, [new CaseProblem(files.Id, path,
                    $"channel file has spatial shape [{string.Join(", ", volume.SpatialShape)}], the case's first channel [{string.Join(", ", shape)}]")]);
            channels.Add(volume.Data.to_type(ScalarType.Float32).clone());
        }
        var image = channels.Count == 1 ? channels[0] : cat(channels, 0);
        if (image.shape[0] != InputChannels)
            throw new InvalidDatasetException(_name, [new CaseProblem(files.Id, files.ImagePaths[0],
                $"image has {image.shape[0]} channel(s); the dataset declares {InputChannels}")]);
        return (image, affine!, header);
    }

    private IEnumerable<CaseProblem> Check(CaseFiles files)
    {
        var missing = files.ImagePaths.Append(files.LabelPath).OfType<string>().Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            foreach (var path in missing)
                yield return new CaseProblem(files.Id, path, path == files.LabelPath ? "label file not found" : "image file not found");
            yield break;
        }
        if (_settings.Verification == DatasetVerification.Files) yield break;

        var problems = new List<CaseProblem>();
        VolumeHeader? first = null;
        long channels = 0;
        foreach (var path in files.ImagePaths)
        {
            var header = TryReadHeader(files.Id, path, problems);
            if (header is null) continue;
            if (header.Shape.Length > 4)
            {
                problems.Add(new CaseProblem(files.Id, path, $"image is {header.Shape.Length}-D [{string.Join(", ", header.Shape)}]; expected 3-D, or 4-D with channels last"));
                continue;
            }
            channels += header.Channels;
            first ??= header;
            if (!header.SpatialShape.SequenceEqual(first.SpatialShape))
                problems.Add(new CaseProblem(files.Id, path, $"spatial shape [{string.Join(", ", header.SpatialShape)}] differs from the first channel's [{string.Join(", ", first.SpatialShape)}]"));
        }
        if (first is not null && channels != InputChannels)
            problems.Add(new CaseProblem(files.Id, files.ImagePaths[0], $"image has {channels} channel(s) in total; the dataset declares {InputChannels}"));

        if (first is not null && files.LabelPath is not null)
        {
            var label = TryReadHeader(files.Id, files.LabelPath, problems);
            if (label is not null)
            {
                var gridProblem = CompareGrid(files, files.LabelPath, label.Channels, label.SpatialShape, label.Affine, first.SpatialShape, first.Affine);
                if (gridProblem is not null) problems.Add(gridProblem);
                else if (_settings.Verification == DatasetVerification.Full) CheckLabelValues(files, problems);
            }
        }
        foreach (var problem in problems) yield return problem;
    }

    private VolumeHeader? TryReadHeader(string caseId, string path, List<CaseProblem> problems)
    {
        try
        {
            return _reader.ReadHeader(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            problems.Add(new CaseProblem(caseId, path, $"unreadable header: {e.Message}"));
            return null;
        }
    }

    /// <summary>The problem with a label grid relative to its image grid, or null when they agree (or were repaired).</summary>
    private CaseProblem? CompareGrid(CaseFiles files, string labelPath, long labelChannels, long[] labelShape, AffineMatrix labelAffine,
        long[] imageShape, AffineMatrix imageAffine)
    {
        if (labelChannels != 1)
            return new CaseProblem(files.Id, labelPath, $"label holds {labelChannels} volumes (4-D); expected a single 3-D label map");
        if (!labelShape.SequenceEqual(imageShape))
            return new CaseProblem(files.Id, labelPath,
                $"label shape [{string.Join(", ", labelShape)}] differs from the image shape [{string.Join(", ", imageShape)}]");
        double difference = labelAffine.MaxAbsDifference(imageAffine);
        if (difference <= _settings.AffineTolerance) return null;
        if (_settings.TrustImageGeometry)
        {
            _logger.LogWarning("Dataset {Dataset}: case {Case}: label affine differs from the image affine by {Difference:G3} mm; using the image's (trust_image_geometry)",
                _name, files.Id, difference);
            return null;
        }
        return new CaseProblem(files.Id, labelPath,
            $"label affine differs from the image affine by up to {difference:G4} (tolerance {_settings.AffineTolerance:G3}); " +
            $"label {labelAffine} vs image {imageAffine} (set trust_image_geometry: true to use the image's)");
    }

    private void CheckLabelValues(CaseFiles files, List<CaseProblem> problems)
    {
        try
        {
            using var scope = NewDisposeScope();
            using var volume = _reader.Read(files.LabelPath!);
            var classes = _labels.Apply(volume.Data[0], $"label of case '{files.Id}'");
            if (!classes.gt(0).any().item<bool>())
                problems.Add(new CaseProblem(files.Id, files.LabelPath, "label map has no foreground voxel (every value is background)"));
        }
        catch (InvalidDataException e)
        {
            problems.Add(new CaseProblem(files.Id, files.LabelPath, e.Message));
        }
    }
}
