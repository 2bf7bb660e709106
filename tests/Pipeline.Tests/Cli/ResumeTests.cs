using System.Text;
using System.Text.Json;
using Pipeline.Core.Stages;
using Pipeline.Tests.Composition;
using Pipeline.Tests.Training;

namespace Pipeline.Tests.Cli;

/// <summary>
/// <c>pipeline run --resume</c>: a run killed with SIGKILL and resumed ends with the loss curve, validations, weights
/// and optimizer state of an uninterrupted run with the same seed (bit for bit on CPU), having lost at most one
/// checkpoint interval of work; <c>--extend</c> trains a finished run further.
/// </summary>
[Collection(SamplePluginCollection.Name)]
public class ResumeTests(SamplePluginBuild sample)
{
    private const int CheckpointEvery = 5;

    /// <summary>30 logged steps with a warmup-cosine schedule, a checkpoint every 5, validation every 10.</summary>
    private static readonly string[] KillSettings =
    [
        "--set", "stages.train.options.iterations=30", "--set", $"stages.train.options.checkpoint_every={CheckpointEvery}",
        "--set", "stages.train.options.log_every=1", "--set", "stages.train.options.validate_every=10",
        "--set", "stages.train.options.schedule=warmup_cosine", "--set", "stages.train.options.warmup_iterations=3",
        "--set", "stages.train.options.min_lr=0.001",
    ];

    private static string RunFolderIn(string output) => Assert.Single(Directory.GetDirectories(Path.Combine(output, "tiny")));

    private static string Metrics(string run) => Path.Combine(run, "metrics.jsonl");

    private static string Latest(string run) => Path.Combine(run, "checkpoints", TrainStage.LatestCheckpointFile);

    /// <summary>A checkpoint's bytes after its JSON header (which holds wall-clock seconds): weights and training state.</summary>
    private static byte[] AfterHeader(string checkpoint)
    {
        byte[] bytes = File.ReadAllBytes(checkpoint);
        int magic = "PIPELINE-MODEL-1\n".Length;
        int headerLength = BitConverter.ToInt32(bytes, magic);
        return bytes[(magic + 4 + headerLength)..];
    }

    [Fact]
    public void AKilledAndResumedRunEqualsAnUninterruptedOne()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-resume-").FullName;
        string manifest = TinyPipeline.Write(folder);
        string[] common = ["--plugins", sample.OutputDirectory, .. KillSettings];

        string referenceOut = Path.Combine(folder, "reference");
        using (var reference = new PipelineProcess(["run", manifest, "--out", referenceOut, .. common]))
        {
            int code = reference.WaitForExit(TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"exit {code}: {reference.Error}");
        }
        string referenceRun = RunFolderIn(referenceOut);

        string killedOut = Path.Combine(folder, "killed");
        int lastLogged, checkpointed;
        using (var killed = new PipelineProcess(["run", manifest, "--out", killedOut, .. common]))
        {
            // Kill once step 11 is logged: the checkpoint of step 10 has been written by then. Synchronous polling
            // (see GracefulStopTests for why).
            var deadline = DateTime.UtcNow.AddSeconds(120);
            string? metrics = null;
            while (DateTime.UtcNow < deadline && !killed.HasExited)
            {
                metrics ??= Directory.Exists(killedOut) ? Directory.EnumerateFiles(killedOut, "metrics.jsonl", SearchOption.AllDirectories).FirstOrDefault() : null;
                if (metrics is not null && LastLoggedIteration(metrics) >= 11) break;
                Thread.Sleep(5);
            }
            if (killed.HasExited) Assert.Fail($"the run ended before it could be killed (exit {killed.WaitForExit(TimeSpan.Zero)}): {killed.Error}");
            Assert.NotNull(metrics);
            killed.Kill();
            lastLogged = LastLoggedIteration(metrics);
        }
        string killedRun = RunFolderIn(killedOut);
        checkpointed = TrainProgress.Read(Latest(killedRun))!.Iteration;
        Assert.InRange(checkpointed, 10, 30);
        Assert.True(lastLogged - checkpointed <= CheckpointEvery,
            $"the kill lost {lastLogged - checkpointed} iterations (logged {lastLogged}, checkpoint at {checkpointed})");
        // summary.json is written when a stage ends; the kill came in the middle of the first.
        Assert.False(File.Exists(Path.Combine(killedRun, "summary.json")));

        // The same command line plus --resume.
        using (var resumed = new PipelineProcess(["run", manifest, .. common, "--resume", killedRun]))
        {
            int code = resumed.WaitForExit(TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"exit {code}: {resumed.Error}");
            Assert.Contains($"completed: {killedRun}", resumed.Output);
        }

        var expectedCurve = TrainTestRuns.LossCurve(Metrics(referenceRun));
        var actualCurve = TrainTestRuns.LossCurve(Metrics(killedRun));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), actualCurve.Select(c => c.Iteration));
        // Bit-identical on CPU; the issue asks for 1e-5.
        Assert.Equal(expectedCurve, actualCurve);
        Assert.Equal(TrainTestRuns.Validations(Metrics(referenceRun)), TrainTestRuns.Validations(Metrics(killedRun)));
        Assert.Equal(AfterHeader(Latest(referenceRun)), AfterHeader(Latest(killedRun)));
        Assert.Equal(AfterHeader(Path.Combine(referenceRun, "checkpoints", "best.ckpt")), AfterHeader(Path.Combine(killedRun, "checkpoints", "best.ckpt")));

        using var expectedSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(referenceRun, "summary.json")));
        using var actualSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(killedRun, "summary.json")));
        Assert.Equal("completed", actualSummary.RootElement.GetProperty("status").GetString());
        Assert.Equal(expectedSummary.RootElement.GetProperty("stages").GetProperty("validate").GetProperty("mean_dice").GetRawText(),
                     actualSummary.RootElement.GetProperty("stages").GetProperty("validate").GetProperty("mean_dice").GetRawText());
        Assert.Empty(Directory.GetFiles(Path.Combine(killedRun, "checkpoints"), "*.tmp"));
        Directory.Delete(folder, recursive: true);
    }

    private static int LastLoggedIteration(string metrics)
    {
        using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        int last = 0;
        while (reader.ReadLine() is { } line)
        {
            if (!line.EndsWith('}') || !line.Contains("\"loss\"")) continue;
            using var record = JsonDocument.Parse(line);
            if (record.RootElement.GetProperty("stage").GetString() == "train")
                last = Math.Max(last, record.RootElement.GetProperty("iteration").GetInt32());
        }
        return last;
    }

    [Fact]
    public async Task ExtendTrainsAFinishedRunFurtherAndRunsTheLaterStagesAgain()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-extend-").FullName;
        string manifest = TinyPipeline.Write(folder);
        string[] plugins = ["--plugins", sample.OutputDirectory];

        string longOut = Path.Combine(folder, "long");
        var straight = await CliRunner.RunAsync(["run", manifest, .. plugins, "--out", longOut, "--set", "stages.train.options.iterations=10"]);
        Assert.True(straight.ExitCode == 0, straight.Error);

        string output = Path.Combine(folder, "out");
        var first = await CliRunner.RunAsync(["run", manifest, .. plugins, "--out", output]);
        Assert.True(first.ExitCode == 0, first.Error);
        string run = RunFolderIn(output);
        Assert.Contains("iterations: 6", File.ReadAllText(Path.Combine(run, "resolved.yaml")));

        // Resuming a completed run has nothing to do.
        string before = File.ReadAllText(Metrics(run));
        var nothing = await CliRunner.RunAsync(["run", .. plugins, "--resume", run]);
        Assert.True(nothing.ExitCode == 0, nothing.Error);
        Assert.Contains($"completed: {run}", nothing.Out);
        Assert.Equal(before, File.ReadAllText(Metrics(run)));

        var extended = await CliRunner.RunAsync(["run", .. plugins, "--resume", run, "--extend", "4"]);
        Assert.True(extended.ExitCode == 0, extended.Error);
        Assert.Contains("from 6 to 10 iterations", extended.Error);
        Assert.Contains("iterations: 10", File.ReadAllText(Path.Combine(run, "resolved.yaml")));

        // The constant schedule makes 6 + 4 iterations the same training as 10 in one go.
        var curve = TrainTestRuns.LossCurve(Metrics(run));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), curve.Select(c => c.Iteration));
        Assert.Equal(TrainTestRuns.LossCurve(Metrics(RunFolderIn(longOut))), curve);
        Assert.Equal(10, TrainProgress.Read(Latest(run))!.Iteration);
        // validate ran again on the extended model; its records of the first session are gone, not doubled.
        static int ValidateRecords(IEnumerable<JsonElement> records) => records.Count(r => r.GetProperty("stage").GetString() == "validate");
        var firstSession = before.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement);
        Assert.Equal(2, ValidateRecords(firstSession)); // one case, one mean
        Assert.Equal(2, ValidateRecords(TrainTestRuns.Records(Metrics(run))));
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
        {
            Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
            Assert.Equal(10, summary.RootElement.GetProperty("stages").GetProperty("train").GetProperty("iterations").GetInt32());
        }
        // TensorBoard shows the curve once, as metrics.jsonl has it.
        string events = Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents.*"));
        var losses = TensorBoardEventFile.Scalars(events).Where(s => s.Tag == "train/loss").Select(s => s.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), losses);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ResumeArgumentsAreChecked()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-resume-args-").FullName;
        string manifest = TinyPipeline.Write(folder);
        string output = Path.Combine(folder, "out");
        string[] plugins = ["--plugins", sample.OutputDirectory];
        var first = await CliRunner.RunAsync(["run", manifest, .. plugins, "--out", output, "--set", "stages.train.options.iterations=2"]);
        Assert.True(first.ExitCode == 0, first.Error);
        string run = RunFolderIn(output);

        var extendAlone = await CliRunner.RunAsync(["run", manifest, .. plugins, "--extend", "3"]);
        Assert.Equal(2, extendAlone.ExitCode);
        Assert.Contains("needs --resume", extendAlone.Error);

        var withOut = await CliRunner.RunAsync(["run", .. plugins, "--resume", run, "--out", output]);
        Assert.Equal(2, withOut.ExitCode);
        Assert.Contains("--out cannot be combined with --resume", withOut.Error);

        var missing = await CliRunner.RunAsync(["run", .. plugins, "--resume", Path.Combine(folder, "nowhere")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Run folder not found", missing.Error);

        // The manifest as given (without the --set of the first run) is not the run's manifest.
        var different = await CliRunner.RunAsync(["run", manifest, .. plugins, "--resume", run]);
        Assert.Equal(2, different.ExitCode);
        Assert.Contains("iterations: 2", different.Error);
        Assert.Contains("iterations: 6", different.Error);

        var same = await CliRunner.RunAsync(["run", manifest, .. plugins, "--set", "stages.train.options.iterations=2", "--resume", run]);
        Assert.True(same.ExitCode == 0, same.Error);

        var badExtend = await CliRunner.RunAsync(["run", .. plugins, "--resume", run, "--extend", "0"]);
        Assert.Equal(2, badExtend.ExitCode);
        Assert.Contains("positive", badExtend.Error);
        Directory.Delete(folder, recursive: true);
    }
}
