namespace Pipeline.Core.Engine;

/// <summary>
/// The folder of one run, <c>OUT/&lt;pipeline&gt;/&lt;UTC timestamp&gt;/</c>, laid out like nnU-Net's: plain files a
/// person can read and the next stage can use.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string root) => Root = root;

    /// <summary>The run folder.</summary>
    public string Root { get; }

    /// <summary>The manifest as resolved (overrides applied, defaults filled in).</summary>
    public string ResolvedManifestPath => Path.Combine(Root, "resolved.yaml");

    /// <summary>The run's log file.</summary>
    public string LogPath => Path.Combine(Root, "pipeline.log");

    /// <summary>One JSON object per logged step and per validation.</summary>
    public string MetricsPath => Path.Combine(Root, "metrics.jsonl");

    /// <summary>Every stage's headline results.</summary>
    public string SummaryPath => Path.Combine(Root, "summary.json");

    /// <summary>TensorBoard event files mirroring <see cref="MetricsPath"/> (<c>tensorboard --logdir</c> this folder).</summary>
    public string TensorBoardDirectory => Path.Combine(Root, "tensorboard");

    /// <summary>Model checkpoints (written atomically).</summary>
    public string CheckpointDirectory => Path.Combine(Root, "checkpoints");

    /// <summary>The output folder of stage <paramref name="stageName"/>.</summary>
    public string StageDirectory(string stageName) => Path.Combine(Root, stageName);

    /// <summary>
    /// Opens the existing run folder <paramref name="path"/> (to resume it); throws naming what is missing when it is
    /// not a run folder. Temporary files that a killed atomic write left in its checkpoint folders are removed.
    /// </summary>
    public static RunFolder Open(string path)
    {
        string root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Run folder not found: {root}");
        var folder = new RunFolder(root);
        if (!File.Exists(folder.ResolvedManifestPath))
            throw new InvalidDataException($"{root} is not a run folder: it has no resolved.yaml (the manifest every run saves first).");
        Directory.CreateDirectory(folder.CheckpointDirectory);
        // AtomicFile names its temporary files ".<target>.<guid>.tmp"; a process killed mid-write leaves one behind
        // (also in the per-stage folders of transfer stages).
        foreach (string stale in Directory.EnumerateFiles(folder.CheckpointDirectory, ".*.tmp", SearchOption.AllDirectories))
            File.Delete(stale);
        return folder;
    }

    /// <summary>
    /// Creates a new run folder under <paramref name="outputRoot"/>/<paramref name="pipelineName"/> named by the UTC
    /// time (suffixed when two runs start in the same second).
    /// </summary>
    public static RunFolder Create(string outputRoot, string pipelineName, DateTime utcNow)
    {
        string parent = Path.Combine(outputRoot, pipelineName);
        Directory.CreateDirectory(parent);
        string stamp = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'");
        for (int attempt = 0; ; attempt++)
        {
            string candidate = Path.Combine(parent, attempt == 0 ? stamp : $"{stamp}-{attempt}");
            if (Directory.Exists(candidate)) continue;
            Directory.CreateDirectory(candidate);
            var folder = new RunFolder(candidate);
            Directory.CreateDirectory(folder.CheckpointDirectory);
            return folder;
        }
    }
}
