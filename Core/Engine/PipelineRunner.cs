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
    public async Task<PipelineRunResult> RunAsync(PipelineManifest manifest, string? outputRootOverride,
        Action<RunFolder>? runFolderCreated, CancellationToken cancellationToken)
    {
        Device device = DeviceSelector.Select(manifest.Device.ToString());
        string outputRoot = Path.GetFullPath(outputRootOverride ?? manifest.OutputRoot);
        RunFolder run = RunFolder.Create(outputRoot, manifest.Name, DateTime.UtcNow);
        runFolderCreated?.Invoke(run);
        ManifestWriter.WriteFile(manifest, run.ResolvedManifestPath);
        _logger.LogInformation("Run {Pipeline} in {RunFolder} on {Device} (seed {Seed})", manifest.Name, run.Root, device.type, manifest.Seed);

        torch.manual_seed(manifest.Seed);
        using var metrics = new JsonlMetricsSink(run.MetricsPath);
        var datasets = new DatasetCatalog(catalog,
            manifest.Datasets.ToDictionary(d => d.Key, d => (d.Value.Plugin, d.Value.Options)),
            Path.Combine(outputRoot, ".cache", "datasets"), loggers.CreateLogger("Dataset"),
            manifest.Datasets.Where(d => d.Value.Preprocess is not null).ToDictionary(
                d => d.Key, d => new TransformListReader(TransformRegistry.CreateBuiltIn()).Read(d.Value.Preprocess!, manifest.Source, $"datasets.{d.Key}.preprocess")),
            run.Root);
        var models = new ModelFactory(catalog, manifest.Model.Plugin, manifest.Model.Options, manifest.Prior.Plugin, manifest.Prior.Options, device);

        var completed = new Dictionary<string, StageResult>(StringComparer.Ordinal);
        var summary = new RunSummary(manifest.Name, run.Root);
        string status = "completed";
        foreach (StageDefinition stage in manifest.Stages)
        {
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
                Seed = manifest.Seed,
                Device = device,
                Models = models,
                Datasets = datasets,
                CompletedStages = completed,
                Metrics = metrics,
                Progress = progress,
                Logger = loggers.CreateLogger($"Stage.{stage.Name}"),
            };
            _logger.LogInformation("Stage {Stage} ({Plugin}) starting", stage.Name, stage.Section.Plugin);
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

    private static void Write(RunSummary summary, RunFolder run) =>
        AtomicFile.WriteAllText(run.SummaryPath, JsonSerializer.Serialize(summary.ToJsonObject(), SummaryJson));

    /// <summary>The content of <c>summary.json</c>.</summary>
    private sealed class RunSummary(string pipeline, string runFolder)
    {
        private readonly Dictionary<string, object?> _stages = new();

        public string Status { get; set; } = "running";

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
