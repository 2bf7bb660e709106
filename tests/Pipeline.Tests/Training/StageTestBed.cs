using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Plugins.Datasets.Synthetic;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>
/// A run folder in a temporary directory plus the collaborators a stage needs: a small synthetic dataset behind a
/// substituted catalog, a <see cref="FileModelFactory"/>, and substituted metrics/progress sinks that record calls.
/// </summary>
internal sealed class StageTestBed : IDisposable
{
    public const string DatasetName = "phantoms";

    public StageTestBed(int size = 32, int cases = 6, int validationCases = 2)
    {
        RunDirectory = Path.Combine(Path.GetTempPath(), "training-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(RunDirectory, "checkpoints"));
        Dataset = new SyntheticDataset(new SyntheticDatasetOptions
        {
            Cases = cases, ValidationCases = validationCases, Size = [size, size, size], Seed = 3,
        });
        Datasets = Substitute.For<IDatasetCatalog>();
        Datasets.Names.Returns([DatasetName]);
        Datasets.Get(DatasetName).Returns(Dataset);
        Models = new FileModelFactory(Dataset.InputChannels, Dataset.ClassNames.Count);
        Metrics = Substitute.For<IMetricsSink>();
        Metrics.When(m => m.Write(Arg.Any<IReadOnlyDictionary<string, object?>>()))
               .Do(call => Records.Add(call.Arg<IReadOnlyDictionary<string, object?>>()));
        Progress = Substitute.For<IProgressSink>();
    }

    public string RunDirectory { get; }

    public SyntheticDataset Dataset { get; }

    public IDatasetCatalog Datasets { get; }

    public FileModelFactory Models { get; }

    public IMetricsSink Metrics { get; }

    public IProgressSink Progress { get; }

    public List<IReadOnlyDictionary<string, object?>> Records { get; } = [];

    /// <summary>The checkpoint folder's <c>latest.ckpt</c>.</summary>
    public string LatestCheckpoint => Path.Combine(RunDirectory, "checkpoints", "latest.ckpt");

    /// <summary>The checkpoint folder's <c>best.ckpt</c>.</summary>
    public string BestCheckpoint => Path.Combine(RunDirectory, "checkpoints", "best.ckpt");

    public Dictionary<string, StageResult> Completed { get; } = [];

    /// <summary>
    /// A context for stage <paramref name="stageName"/>, whose folder is created. <paramref name="metrics"/> replaces
    /// the recording substitute (e.g. a real <see cref="JsonlMetricsSink"/> for resume tests); <paramref name="augment"/>
    /// is the stage's augmentation list.
    /// </summary>
    public StageContext Context(string stageName, long seed = 42, IMetricsSink? metrics = null, bool resume = false,
                                Pipeline.Core.Transforms.Compose? augment = null)
    {
        string stageDirectory = Path.Combine(RunDirectory, stageName);
        Directory.CreateDirectory(stageDirectory);
        return new StageContext
        {
            StageName = stageName,
            StageDirectory = stageDirectory,
            RunDirectory = RunDirectory,
            CheckpointDirectory = Path.Combine(RunDirectory, "checkpoints"),
            Seed = seed,
            Device = CPU,
            Models = Models,
            Datasets = Datasets,
            CompletedStages = Completed,
            Metrics = metrics ?? Metrics,
            Resume = resume,
            Progress = Progress,
            Logger = NullLogger.Instance,
            Augment = augment,
        };
    }

    public void Dispose()
    {
        try { Directory.Delete(RunDirectory, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
