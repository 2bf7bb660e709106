using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Composition;
using Pipeline.Core.IO;
using Pipeline.Core.Manifest;
using Pipeline.Core.Plugins;
using Pipeline.Core.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Engine;

/// <summary>
/// Runs a loaded manifest: creates the run folder, saves the resolved manifest, then runs the stages in order, each
/// with its own folder, writing <c>summary.json</c> after every stage so a stopped run still has its results.
/// </summary>
public sealed class PipelineRunner(IPluginCatalog catalog, IProgressSink progress, ILoggerFactory loggers)
{
    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly ILogger _logger = loggers.CreateLogger<PipelineRunner>();

    /// <summary>Runs <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The loaded, validated manifest.</param>
    /// <param name="outputRootOverride">The <c>--out</c> folder, replacing the manifest's <c>output_root</c>.</param>
    /// <param name="runFolderCreated">Called once the run folder exists (e.g. to attach the log file).</param>
    /// <param name="cancellationToken">Stops the run after the current step; the stage saves its state.</param>
    public Task<PipelineRunResult> RunAsync(PipelineManifest manifest, string? outputRootOverride,
        Action<RunFolder>? runFolderCreated, CancellationToken cancellationToken)
    {
        string outputRoot = Path.GetFullPath(outputRootOverride ?? manifest.OutputRoot);
        RunFolder run = RunFolder.Create(outputRoot, manifest.Name, DateTime.UtcNow);
        runFolderCreated?.Invoke(run);
        ManifestWriter.WriteFile(manifest, run.ResolvedManifestPath);
        return ExecuteAsync(manifest, run, outputRoot, ResumePlan.None, cancellationToken);
    }

    /// <summary>
    /// Continues the run in <paramref name="run"/>: stages that <c>summary.json</c> lists as completed are skipped
    /// (their results are read back), the first other stage is resumed (<see cref="StageContext.Resume"/>), and every
    /// stage after it runs again. Metrics records of the stages that run again are removed first (a resumable stage
    /// removes its own, past its saved state).
    /// </summary>
    /// <param name="manifest">The run's manifest (its <c>resolved.yaml</c>, possibly with more iterations); written back to the run folder.</param>
    /// <param name="run">The existing run folder.</param>
    /// <param name="rerunFrom">A stage to resume even if it completed (e.g. after <c>--extend</c> raised its iterations); null for none.</param>
    /// <param name="runFolderOpened">Called before anything runs (e.g. to attach the log file).</param>
    /// <param name="cancellationToken">Stops the run after the current step; the stage saves its state.</param>
    public Task<PipelineRunResult> ResumeAsync(PipelineManifest manifest, RunFolder run, string? rerunFrom,
        Action<RunFolder>? runFolderOpened, CancellationToken cancellationToken)
    {
        var previous = PreviousStages(run);
        int start = manifest.Stages.Count;
        for (int i = 0; i < manifest.Stages.Count; i++)
        {
            bool completed = previous.TryGetValue(manifest.Stages[i].Name, out var entry) &&
                             entry.TryGetProperty("status", out var status) && status.GetString() == "completed";
            if (!completed || manifest.Stages[i].Name == rerunFrom)
            {
                start = i;
                break;
            }
        }
        if (rerunFrom is not null && manifest.Stages.All(s => s.Name != rerunFrom))
            throw new ArgumentException($"Stage '{rerunFrom}' is not a stage of pipeline '{manifest.Name}'.", nameof(rerunFrom));
        runFolderOpened?.Invoke(run);
        ManifestWriter.WriteFile(manifest, run.ResolvedManifestPath);
        // The run folder is OUT/<pipeline>/<timestamp>; OUT holds the dataset cache.
        string outputRoot = Path.GetDirectoryName(Path.GetDirectoryName(run.Root)!)!;
        _logger.LogInformation("Resuming {Pipeline} in {RunFolder} from stage {Stage}", manifest.Name, run.Root,
            start < manifest.Stages.Count ? manifest.Stages[start].Name : "(none: every stage completed)");
        return ExecuteAsync(manifest, run, outputRoot, new ResumePlan(start, previous), cancellationToken);
    }

    private async Task<PipelineRunResult> ExecuteAsync(PipelineManifest manifest, RunFolder run, string outputRoot,
                                                      ResumePlan resume, CancellationToken cancellationToken)
    {
        Device device = DeviceSelector.Select(manifest.Device.ToString());
        _logger.LogInformation("Run {Pipeline} in {RunFolder} on {Device} (seed {Seed})", manifest.Name, run.Root, device.type, manifest.Seed);

        torch.manual_seed(manifest.Seed);
        using var metrics = new JsonlMetricsSink(run.MetricsPath, run.TensorBoardDirectory);
        var datasets = new DatasetCatalog(catalog,
            manifest.Datasets.ToDictionary(d => d.Key, d => (d.Value.Plugin, d.Value.Options)),
            Path.Combine(outputRoot, ".cache", "datasets"), loggers.CreateLogger("Dataset"),
            manifest.Datasets.Where(d => d.Value.Preprocess is not null).ToDictionary(
                d => d.Key, d => new TransformListReader(TransformRegistry.CreateBuiltIn()).Read(d.Value.Preprocess!, manifest.Source, $"datasets.{d.Key}.preprocess")),
            run.Root,
            manifest.Datasets.ToDictionary(d => d.Key, d => ManifestWriter.SectionYaml(d.Value)));
        var models = new ModelFactory(catalog, manifest.Model.Plugin, manifest.Model.Options, manifest.Prior.Plugin, manifest.Prior.Options, device);

        var completed = new Dictionary<string, StageResult>(StringComparer.Ordinal);
        var summary = new RunSummary(manifest.Name, run.Root);
        if (resume.IsResume)
        {
            for (int i = 0; i < resume.Start; i++)
            {
                var stage = manifest.Stages[i];
                completed[stage.Name] = StageResultFrom(resume.Previous![stage.Name], run.Root);
                summary.AddPrevious(stage.Name, resume.Previous[stage.Name]);
            }
            if (resume.Start < manifest.Stages.Count)
            {
                var rerun = manifest.Stages.Skip(resume.Start).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
                var first = manifest.Stages[resume.Start];
                // A resumable stage removes its own records past its saved state; the others start over.
                if (catalog.Get(PluginKind.Stage, first.Section.Plugin) is IResumableStage) rerun.Remove(first.Name);
                metrics.RemoveRecords(record => MetricsRecord.Stage(record) is { } stage && rerun.Contains(stage));
            }
        }

        string status = "completed";
        for (int index = resume.Start; index < manifest.Stages.Count; index++)
        {
            StageDefinition stage = manifest.Stages[index];
            if (cancellationToken.IsCancellationRequested)
            {
                status = "interrupted";
                break;
            }
            var plugin = (IStage)catalog.Get(PluginKind.Stage, stage.Section.Plugin);
            var context = new StageContext
            {
                StageName = stage.Name,
                StageDirectory = Directory.CreateDirectory(run.StageDirectory(stage.Name)).FullName,
                RunDirectory = run.Root,
                CheckpointDirectory = run.CheckpointDirectory,
                Resume = resume.IsResume && index == resume.Start,
                Seed = manifest.Seed,
                Device = device,
                Models = models,
                Datasets = datasets,
                CompletedStages = completed,
                Metrics = metrics,
                Progress = progress,
                Logger = loggers.CreateLogger($"Stage.{stage.Name}"),
                Augment = stage.Section.Augment is { } augment
                    ? new TransformListReader(TransformRegistry.CreateBuiltIn()).Read(augment, manifest.Source, $"stages.{stage.Name}.augment")
                    : null,
            };
            _logger.LogInformation("Stage {Stage} ({Plugin}) {Action}", stage.Name, stage.Section.Plugin, context.Resume ? "resuming" : "starting");
            var clock = Stopwatch.StartNew();
            StageResult result;
            try
            {
                result = await plugin.RunAsync(context, stage.Section.Options, cancellationToken);
            }
            catch (Exception e)
            {
                summary.Add(stage.Name, stage.Section.Plugin, new StageResult(), clock.Elapsed.TotalSeconds, "failed", e.Message);
                summary.Status = "failed";
                Write(summary, run);
                throw new StageFailedException(stage.Name, stage.Section.Location.ToString(), e);
            }
            finally
            {
                progress.Complete(stage.Name);
            }
            completed[stage.Name] = result;
            summary.Add(stage.Name, stage.Section.Plugin, result, clock.Elapsed.TotalSeconds, result.Interrupted ? "interrupted" : "completed", null);
            Write(summary, run);
            _logger.LogInformation("Stage {Stage} {Status} in {Seconds:0.0} s", stage.Name, result.Interrupted ? "interrupted" : "completed", clock.Elapsed.TotalSeconds);
            if (result.Interrupted)
            {
                status = "interrupted";
                break;
            }
        }
        summary.Status = status;
        Write(summary, run);
        return new PipelineRunResult(run.Root, status, completed);
    }

    /// <summary>The stage entries of the run's <c>summary.json</c>, by stage name (empty when it has none yet).</summary>
    private static Dictionary<string, JsonElement> PreviousStages(RunFolder run)
    {
        var stages = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!File.Exists(run.SummaryPath)) return stages;
        using var document = JsonDocument.Parse(File.ReadAllText(run.SummaryPath), new JsonDocumentOptions { AllowTrailingCommas = false });
        if (document.RootElement.TryGetProperty("stages", out var entries) && entries.ValueKind == JsonValueKind.Object)
            foreach (var entry in entries.EnumerateObject())
                stages[entry.Name] = entry.Value.Clone();
        return stages;
    }

    /// <summary>The result a completed stage reported, read back from its <c>summary.json</c> entry.</summary>
    private static StageResult StageResultFrom(JsonElement entry, string runFolder)
    {
        var result = new StageResult();
        foreach (var property in entry.EnumerateObject())
        {
            switch (property.Name)
            {
                case "plugin" or "status" or "seconds" or "error":
                    break;
                case "artifacts":
                    foreach (var artifact in property.Value.EnumerateObject())
                        result.Artifacts[artifact.Name] = Path.GetFullPath(Path.Combine(runFolder, artifact.Value.GetString()!));
                    break;
                default:
                    result.Summary[property.Name] = property.Value.Clone();
                    break;
            }
        }
        return result;
    }

    private static void Write(RunSummary summary, RunFolder run) =>
        AtomicFile.WriteAllText(run.SummaryPath, JsonSerializer.Serialize(summary.ToJsonObject(), SummaryJson));

    /// <summary>Where a run starts: at stage 0 for a new run, or after the completed stages of a resumed one.</summary>
    /// <param name="Start">Index of the first stage to run.</param>
    /// <param name="Previous">The previous <c>summary.json</c> stage entries (null for a new run).</param>
    private sealed record ResumePlan(int Start, IReadOnlyDictionary<string, JsonElement>? Previous)
    {
        public static readonly ResumePlan None = new(0, null);

        public bool IsResume => Previous is not null;
    }

    /// <summary>The content of <c>summary.json</c>.</summary>
    private sealed class RunSummary(string pipeline, string runFolder)
    {
        private readonly Dictionary<string, object?> _stages = new();

        public string Status { get; set; } = "running";

        /// <summary>Keeps the entry of a stage that completed before the run was resumed, as it was.</summary>
        public void AddPrevious(string name, JsonElement entry) => _stages[name] = entry;

        public void Add(string name, string plugin, StageResult result, double seconds, string status, string? error)
        {
            var entry = new Dictionary<string, object?>
            {
                ["plugin"] = plugin,
                ["status"] = status,
                ["seconds"] = Math.Round(seconds, 2),
            };
            foreach (var (key, value) in result.Summary) entry[key] = value;
            if (result.Artifacts.Count > 0) entry["artifacts"] = result.Artifacts.ToDictionary(a => a.Key, a => Path.GetRelativePath(runFolder, a.Value));
            if (error is not null) entry["error"] = error;
            _stages[name] = entry;
        }

        public Dictionary<string, object?> ToJsonObject() => new()
        {
            ["pipeline"] = pipeline,
            ["run_folder"] = runFolder,
            ["status"] = Status,
            ["stages"] = _stages,
        };
    }
}

/// <summary>A stage threw; the message names the stage and where it is declared.</summary>
public sealed class StageFailedException(string stage, string location, Exception inner)
    : Exception($"Stage '{stage}' ({location}) failed: {inner.Message}", inner)
{
    /// <summary>The stage's name.</summary>
    public string Stage { get; } = stage;
}
