using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Core.Imaging;
using Pipeline.Core.Inference;
using Pipeline.Core.IO;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Core.Transforms;
using static TorchSharp.torch;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>infer</c> stage: loads a training stage's checkpoint (or a checkpoint file), folds its weight prior away and
/// predicts every case of a dataset split or every NIfTI file of a folder with <see cref="CasePredictor"/>, writing
/// <c>predictions/&lt;case&gt;.nii.gz</c> (and, when asked, <c>probabilities/&lt;case&gt;.nii.gz</c>) on the source
/// file's grid with its geometry (<see cref="PredictionFiles"/>), one file per case, each atomically, and
/// <c>predictions.json</c> listing them. Stops between cases when cancelled; a resumed run keeps the cases whose files
/// are already written and predicts the rest.
/// </summary>
[ExportStage("infer", "1.0.0", "Predicts a dataset split or a folder of NIfTI images; writes segmentations on the source grid; resumable.")]
public sealed class InferStage : IResumableStage
{
    /// <summary>Folder of the label maps, inside the stage folder.</summary>
    public const string PredictionsFolder = "predictions";

    /// <summary>Folder of the probability maps, inside the stage folder.</summary>
    public const string ProbabilitiesFolder = "probabilities";

    /// <summary>The list of written files, inside the stage folder.</summary>
    public const string PredictionsJsonFile = "predictions.json";

    /// <summary>Extension of the written files.</summary>
    public const string FileExtension = ".nii.gz";

    /// <inheritdoc />
    public Type OptionsType => typeof(InferOptions);

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken)
    {
        var typed = StageOptionChecks.Require<InferOptions>(options, context.StageName);
        // Long synchronous work on one thread (TorchSharp's dispose scopes are per thread).
        return Task.Run(() => Run(context, typed, cancellationToken), CancellationToken.None);
    }

    private static StageResult Run(StageContext context, InferOptions options, CancellationToken cancellationToken)
    {
        string checkpoint = !string.IsNullOrWhiteSpace(options.CheckpointFile)
            ? Path.GetFullPath(options.CheckpointFile)
            : StageCheckpoints.Path(context, options.Model!, options.Checkpoint);
        var source = InferenceSource.Open(context, options);
        using var network = LoadNetwork(context, checkpoint);
        if (source.InputChannels is { } channels && channels != network.InChannels)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': the model takes {network.InChannels} input channel(s) but {source.Description} has {channels}.");
        if (source.ClassNames is { } classes && classes.Count != network.OutChannels)
            context.Logger.LogWarning("The model predicts {Classes} classes but {Source} declares {Declared} ({Names}); labels are the model's class indices.",
                network.OutChannels, source.Description, classes.Count, string.Join(", ", classes));
        StageOptionChecks.RequireClasses(options.KeepLargestComponent, network.OutChannels, "the model", "keep_largest_component", context.StageName);
        network.eval();
        CasePredictor predictor;
        try
        {
            predictor = new CasePredictor(network, options.ToPredictionOptions(network.OutChannels), context.Device);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Stage '{context.StageName}': {e.Message}", e);
        }

        string labelFolder = Directory.CreateDirectory(Path.Combine(context.StageDirectory, PredictionsFolder)).FullName;
        string? probabilityFolder = options.WriteProbabilities
            ? Directory.CreateDirectory(Path.Combine(context.StageDirectory, ProbabilitiesFolder)).FullName
            : null;
        // Records of cases predicted before a stop are written again below, whether the case is kept or predicted anew.
        context.Metrics.RemoveRecords(record => MetricsRecord.Stage(record) == context.StageName);
        context.Logger.LogInformation("Predicting {Cases} case(s) of {Source} with {Checkpoint} into {Folder}",
            source.CaseIds.Count, source.Description, checkpoint, labelFolder);

        var written = new List<Dictionary<string, object?>>();
        var result = new StageResult();
        int predicted = 0, kept = 0;
        foreach (var caseId in source.CaseIds)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                context.Logger.LogWarning("Inference interrupted after {Done} of {Total} cases; a resumed run predicts the rest.",
                    written.Count, source.CaseIds.Count);
                result.Interrupted = true;
                break;
            }
            string labelPath = Path.Combine(labelFolder, caseId + FileExtension);
            string? probabilityPath = probabilityFolder is null ? null : Path.Combine(probabilityFolder, caseId + FileExtension);
            bool keep = context.Resume && File.Exists(labelPath) && (probabilityPath is null || File.Exists(probabilityPath));
            var record = new Dictionary<string, object?> { ["stage"] = context.StageName, ["case"] = caseId };
            if (keep)
            {
                kept++;
                record["kept"] = true;
            }
            else
            {
                var (seconds, classVoxels) = PredictCase(context, predictor, source, caseId, labelPath, probabilityPath, first: predicted == 0);
                predicted++;
                record["seconds"] = Math.Round(seconds, 3);
                record["class_voxels"] = classVoxels;
            }
            context.Metrics.Write(record);
            written.Add(new Dictionary<string, object?> { ["case"] = caseId, ["labels"] = labelPath, ["probabilities"] = probabilityPath });
            context.Progress.Report(new ProgressUpdate(context.StageName, written.Count, source.CaseIds.Count, new Dictionary<string, double>()));
        }
        context.Progress.Complete(context.StageName);

        string listPath = Path.Combine(context.StageDirectory, PredictionsJsonFile);
        AtomicFile.WriteAllText(listPath, PredictionsJson(options, checkpoint, source, written, result.Interrupted));
        context.Logger.LogInformation("Wrote {Predicted} prediction(s), kept {Kept} from before, in {Folder}.", predicted, kept, labelFolder);
        result.Summary["cases"] = written.Count;
        result.Summary["predicted"] = predicted;
        result.Summary["kept"] = kept;
        result.Artifacts["predictions"] = labelFolder;
        result.Artifacts["predictions_json"] = listPath;
        if (probabilityFolder is not null) result.Artifacts["probabilities"] = probabilityFolder;
        return result;
    }

    /// <summary>Loads the checkpoint and folds its prior; a prior other than the manifest's must already be folded.</summary>
    private static SegmentationNetwork LoadNetwork(StageContext context, string checkpoint)
    {
        var description = ModelCheckpoint.ReadDescription(checkpoint);
        if (!description.PriorFolded && description.Prior != context.Models.PriorName)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': checkpoint '{checkpoint}' uses prior '{description.Prior}', not the manifest's '{context.Models.PriorName}', " +
                "and is not folded; fold it first (pipeline checkpoint fold) or set the manifest's prior to match.");
        var network = context.Models.Load(checkpoint);
        try
        {
            if (!description.PriorFolded) context.Models.Fold(network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return network;
    }

    /// <summary>Predicts one case and writes its files; returns the seconds it took and the voxels per class.</summary>
    private static (double Seconds, long[] ClassVoxels) PredictCase(StageContext context, CasePredictor predictor, InferenceSource source,
        string caseId, string labelPath, string? probabilityPath, bool first)
    {
        var watch = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var loaded = source.Load(caseId);
        var estimate = predictor.EstimateMemory(loaded);
        context.Logger.Log(first ? LogLevel.Information : LogLevel.Debug, "Case {Case}: inference memory estimate {Estimate}", caseId, estimate);
        CasePrediction prediction;
        try
        {
            prediction = predictor.Predict(loaded);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Stage '{context.StageName}': {source.Describe(caseId)}: {e.Message}", e);
        }
        using (prediction)
        {
            // Probabilities first: a case counts as done once its label file exists.
            if (probabilityPath is not null) PredictionFiles.WriteProbabilities(probabilityPath, prediction.Probabilities!);
            PredictionFiles.WriteLabels(labelPath, prediction.Labels);
            var counts = prediction.Labels.Data.flatten().to_type(ScalarType.Int64).bincount(null, predictor.Classes);
            return (watch.Elapsed.TotalSeconds, counts.data<long>().ToArray());
        }
    }

    private static string PredictionsJson(InferOptions options, string checkpoint, InferenceSource source,
        IReadOnlyList<Dictionary<string, object?>> cases, bool interrupted)
    {
        var document = new Dictionary<string, object?>
        {
            ["checkpoint"] = checkpoint,
            ["source"] = source.Description,
            ["roi_size"] = options.RoiSize,
            ["overlap"] = options.Overlap,
            ["blend"] = options.Blend.ToString().ToLowerInvariant(),
            ["mirror_axes"] = options.MirrorAxes,
            ["complete"] = !interrupted && cases.Count == source.CaseIds.Count,
            ["cases"] = cases,
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Where the cases come from: a dataset split (through its preprocess list) or a folder of image files.</summary>
    private sealed class InferenceSource
    {
        private readonly Func<string, SegmentationCase> _load;
        private readonly Func<string, string> _describe;

        private InferenceSource(string description, IReadOnlyList<string> caseIds, int? inputChannels, IReadOnlyList<string>? classNames,
                                Func<string, SegmentationCase> load, Func<string, string> describe)
        {
            Description = description;
            CaseIds = caseIds;
            InputChannels = inputChannels;
            ClassNames = classNames;
            _load = load;
            _describe = describe;
        }

        /// <summary>E.g. <c>dataset 'abdomen' split 'test'</c> or <c>folder '/data/new'</c>.</summary>
        public string Description { get; }

        public IReadOnlyList<string> CaseIds { get; }

        /// <summary>The dataset's channels, or null for a folder (checked per image).</summary>
        public int? InputChannels { get; }

        /// <summary>The dataset's classes, or null for a folder.</summary>
        public IReadOnlyList<string>? ClassNames { get; }

        public SegmentationCase Load(string caseId) => _load(caseId);

        /// <summary>The case as the user knows it (with its file for a folder).</summary>
        public string Describe(string caseId) => _describe(caseId);

        public static InferenceSource Open(StageContext context, InferOptions options)
        {
            if (!string.IsNullOrWhiteSpace(options.Dataset))
            {
                var dataset = context.Datasets.Get(options.Dataset);
                var ids = StageOptionChecks.RequireSplit(dataset, options.Dataset, options.Split, "split", context.StageName);
                return new InferenceSource($"dataset '{options.Dataset}' split '{options.Split}'", ids, dataset.InputChannels, dataset.ClassNames,
                    dataset.Load, id => $"case '{id}' of dataset '{options.Dataset}'");
            }
            string folder = Path.GetFullPath(options.InputFolder!);
            var files = ImageFiles(folder, context.StageName);
            Compose? preprocess = null;
            if (!string.IsNullOrWhiteSpace(options.PreprocessFile))
            {
                string path = Path.GetFullPath(options.PreprocessFile);
                preprocess = new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse(File.ReadAllText(path), path);
                try
                {
                    PredictionInput.RequireDeterministic(preprocess, path);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidOperationException($"Stage '{context.StageName}': preprocess_file {e.Message}", e);
                }
            }
            var reader = new VolumeFileReader();
            return new InferenceSource($"folder '{folder}'", files.Keys.ToList(), null, null,
                id => PredictionInput.Prepare(id, reader.Read(files[id]), preprocess), id => $"image '{files[id]}'");
        }

        /// <summary>Case id (file name without .nii/.nii.gz) → file, sorted by id; throws when empty or when two files share an id.</summary>
        private static SortedDictionary<string, string> ImageFiles(string folder, string stageName)
        {
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string path in Directory.EnumerateFiles(folder))
            {
                string name = Path.GetFileName(path);
                string? id = name.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) ? name[..^7]
                    : name.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) ? name[..^4]
                    : null;
                if (id is null) continue;
                if (!files.TryAdd(id, path))
                    throw new InvalidOperationException(
                        $"Stage '{stageName}': input_folder has two images for case '{id}': '{files[id]}' and '{path}'; keep one.");
            }
            if (files.Count == 0)
                throw new InvalidOperationException($"Stage '{stageName}': input_folder '{folder}' holds no .nii or .nii.gz image.");
            return files;
        }
    }
}
