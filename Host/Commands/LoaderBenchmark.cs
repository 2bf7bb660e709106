using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Hosting;
using Pipeline.Core.Composition;
using Pipeline.Core.Data.Cache;
using Pipeline.Core.Engine;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Plugins.Datasets.Synthetic;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Measures the share of a training step spent waiting for data: real <c>pipeline run</c>s of the train stage (the
/// quickstart's small 3D UX-Net, batch 2, cubic patches, no validation) for each data source and each prefetch
/// value, reading each step's <c>data_wait_ms</c> and <c>step_ms</c> from <c>metrics.jsonl</c>. Sources: the quickstart's
/// synthetic phantoms (48³, generated on first use, kept in memory) and a generated <c>nifti-folder</c> dataset of
/// int16 CT-like <c>.nii.gz</c> cases with a <c>ct_window</c> preprocess step, read with <c>cache: none</c>
/// (decompressed and preprocessed for every patch), <c>memory</c> and <c>disk</c>, the last also with the paper's
/// augmentation (random affine on every patch).
/// </summary>
public sealed class LoaderBenchmark(IPluginCatalog catalog, CliOutput output, ILoggerFactory loggers, RunLogFileProvider runLog)
{
    /// <summary>One measured run.</summary>
    /// <param name="Data">The data source.</param>
    /// <param name="Cache">The train stage's <c>cache</c>.</param>
    /// <param name="Prefetch">The train stage's <c>prefetch</c>.</param>
    /// <param name="Steps">Steps timed.</param>
    /// <param name="StepMs">Mean wall time of a step (waiting included).</param>
    /// <param name="WaitMs">Mean time a step waited for its batches.</param>
    /// <param name="WaitShare">Σ wait / Σ step time.</param>
    /// <param name="LaterWaitShare">The same without the first step (which also waits for the producer to start and, with
    /// <c>memory</c>, for the first cases to load).</param>
    /// <param name="Notes">Cache lines of the run's log (cases written or reused, the memory estimate).</param>
    public sealed record Row(string Data, string Cache, int Prefetch, int Steps, double StepMs, double WaitMs, double WaitShare,
                             double LaterWaitShare, IReadOnlyList<string> Notes);

    /// <summary>Runs every source with every prefetch value (the prefetch values back to back, so they share the machine's load).</summary>
    public IReadOnlyList<Row> Run(LoaderBenchmarkOptions options, CancellationToken cancellationToken)
    {
        string work = Path.GetFullPath(options.Work ?? Path.Combine(Path.GetTempPath(), "bench-loader-" + Guid.NewGuid().ToString("N")));
        try
        {
            string niftiRoot = Path.Combine(work, "nifti");
            WriteNiftiDataset(niftiRoot, options);
            string nifti = $"nifti {options.Cases}× {string.Join('×', options.Size)} .nii.gz";
            var sources = new (string Name, string Data, string Dataset, string Cache, bool Augment)[]
            {
                ("phantoms", "phantoms 48³ (quickstart)", Phantoms(), "memory", false),
                ("nifti", nifti, Nifti(niftiRoot), "none", false),
                ("nifti", nifti, Nifti(niftiRoot), "memory", false),
                ("nifti", nifti, Nifti(niftiRoot), "disk", false),
                ("nifti-augment", nifti + " + augment", Nifti(niftiRoot), "disk", true),
            };
            var rows = new List<Row>();
            foreach (var (source, data, dataset, cache, augment) in sources)
            {
                foreach (int prefetch in options.Prefetch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string name = $"{source}-{cache}-p{prefetch}";
                    output.Error.WriteLine($"bench loader: {name} ...");
                    rows.Add(Measure(work, name, data, Manifest(name, work, dataset, cache, prefetch, augment, options), cache, prefetch, cancellationToken));
                    output.Error.WriteLine(FormatRow(rows[^1]));
                }
            }
            return rows;
        }
        finally
        {
            if (options.Work is null && Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The rows as a markdown table.</summary>
    public static string ToMarkdownTable(IReadOnlyList<Row> rows) => string.Join('\n', new[]
    {
        "| data | cache | prefetch | steps | step ms | data wait ms/step | wait share | wait share after step 1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    }.Concat(rows.Select(FormatRow)));

    private static string FormatRow(Row row) => string.Create(CultureInfo.InvariantCulture,
        $"| {row.Data} | {row.Cache} | {row.Prefetch} | {row.Steps} | {row.StepMs:0} | {row.WaitMs:0.0} | {100 * row.WaitShare:0.0} % | {100 * row.LaterWaitShare:0.00} % |");

    private Row Measure(string work, string name, string data, string manifestText, string cache, int prefetch, CancellationToken cancellationToken)
    {
        string manifestPath = Path.Combine(work, "manifests", name + ".yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(manifestPath)!);
        File.WriteAllText(manifestPath, manifestText);
        var manifest = ManifestArgument.Load(manifestPath, [], catalog, output);
        var runner = new PipelineRunner(catalog, new SilentProgress(), loggers);
        string? logPath = null;
        PipelineRunResult result;
        try
        {
            result = runner.RunAsync(manifest, null, run => runLog.Attach(logPath = run.LogPath), cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            runLog.Detach();
        }
        if (result.Status != "completed" || !result.Stages.TryGetValue("train", out var train))
            throw new UserFacingException($"bench loader: run {name} ended '{result.Status}'; see {result.RunDirectory}.");
        // One loss record per step (log_every: 1), each with that step's wait and wall time.
        var steps = new List<(double Wait, double Step)>();
        foreach (var line in File.ReadLines(Path.Combine(result.RunDirectory, "metrics.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            if (record.RootElement.TryGetProperty("data_wait_ms", out var wait))
                steps.Add((wait.GetDouble(), record.RootElement.GetProperty("step_ms").GetDouble()));
        }
        if (steps.Count == 0) throw new UserFacingException($"bench loader: run {name} wrote no step timings; see {result.RunDirectory}.");
        var later = steps.Skip(1).ToList();
        var notes = logPath is null || !File.Exists(logPath)
            ? []
            : File.ReadLines(logPath).Where(l => l.Contains("disk cache", StringComparison.Ordinal) || l.Contains("in memory for", StringComparison.Ordinal))
                  .Select(l => l[(l.IndexOf("Dataset ", StringComparison.Ordinal) is var at and >= 0 ? at : 0)..]).ToList();
        return new Row(data, cache, prefetch, steps.Count, steps.Average(s => s.Step), steps.Average(s => s.Wait),
            steps.Sum(s => s.Wait) / steps.Sum(s => s.Step),
            later.Count == 0 ? double.NaN : later.Sum(s => s.Wait) / later.Sum(s => s.Step), notes);
    }

    private static string Phantoms() => """
        plugin: synthetic
        options: { cases: 16, validation_cases: 4, size: [48, 48, 48], classes: 3, seed: 7 }
        """;

    private static string Nifti(string root) => $$"""
        plugin: nifti-folder
        options:
          root: '{{root}}'
          class_names: { 0: background, 1: ellipsoid, 2: tube, 3: shell }
        preprocess:
          - name: ct_window
            a_min: -100
            a_max: 600
            b_min: 0
            b_max: 1
            clip: true
        """;

    /// <summary>
    /// A quickstart-like manifest: the quickstart's network, training only, the given data, cache and prefetch, and
    /// optionally the augmentation of pipelines/flare-repuxnet.yaml (the paper's: intensity shift, rotation about
    /// the last axis up to π/30, scaling by up to ±10 %).
    /// </summary>
    private static string Manifest(string name, string work, string dataset, string cache, int prefetch, bool augment,
                                   LoaderBenchmarkOptions options) => $$"""
        name: bench-loader-{{name}}
        seed: 42
        device: cpu
        output_root: '{{Path.Combine(work, "runs")}}'
        datasets:
          data:
        {{string.Join('\n', dataset.Split('\n').Select(l => "    " + l))}}
        model:
          backbone: 3d-ux-net
          options: { in_channels: 1, out_channels: 4, feature_sizes: [8, 16, 32, 64], hidden_size: 128, kernel_size: 7, head_follows_feature_size: true }
        prior:
          plugin: none
        stages:
          - name: train
            plugin: train
            options:
              dataset: data
              iterations: {{options.Iterations}}
              batch_size: 2
              patch_size: [{{options.Patch}}, {{options.Patch}}, {{options.Patch}}]
              learning_rate: 0.003
              validate_every: 0
              log_every: 1
              checkpoint_every: 0
              cache: {{cache}}
              prefetch: {{prefetch}}
        {{(augment ? Augmentation : "")}}
        """;

    private const string Augmentation = """
            augment:
              - name: rand_shift_intensity
                offsets: 0.1
                prob: 0.5
              - name: rand_affine
                prob: 1.0
                rotate_range: [0, 0, 0.10471975511965977]
                scale_range: [0.1, 0.1, 0.1]
                padding: reflection
        """;

    /// <summary>
    /// Writes <c>images/case_NN.nii.gz</c> (int16, CT-like: round(300 · phantom) − 100) and
    /// <c>labels/case_NN.nii.gz</c> (uint8) from synthetic phantoms of the requested size, unless they exist.
    /// </summary>
    private static void WriteNiftiDataset(string root, LoaderBenchmarkOptions options)
    {
        var phantoms = new SyntheticDataset(new SyntheticDatasetOptions
        {
            Cases = options.Cases, ValidationCases = 0, Size = options.Size, Classes = 3, Seed = 11,
        });
        string images = Path.Combine(root, "images"), labels = Path.Combine(root, "labels");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(labels);
        foreach (var id in phantoms.Splits["train"])
        {
            string name = $"case_{id[^2..]}.nii.gz";
            if (File.Exists(Path.Combine(images, name)) && File.Exists(Path.Combine(labels, name))) continue;
            using var scope = NewDisposeScope();
            using var phantom = phantoms.Load(id);
            var affine = AffineMatrix.FromDiagonal(phantom.Spacing[0], phantom.Spacing[1], phantom.Spacing[2]);
            var image = (phantom.Image * 300 - 100).round().to_type(ScalarType.Int16);
            NiftiWriter.Write(Path.Combine(images, name), new Volume(image, affine));
            NiftiWriter.Write(Path.Combine(labels, name), new Volume(phantom.Label!.unsqueeze(0).to_type(ScalarType.Byte), affine));
        }
    }

    /// <summary>Progress of the measured runs is not shown (the command prints one line per run).</summary>
    private sealed class SilentProgress : IProgressSink
    {
        public void Report(ProgressUpdate update)
        {
        }

        public void Complete(string stage)
        {
        }
    }
}
