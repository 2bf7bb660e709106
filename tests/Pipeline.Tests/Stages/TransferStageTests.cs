using System.Text.Json;
using NSubstitute;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Engine;
using Pipeline.Core.Nn;
using Pipeline.Core.Stages;
using Pipeline.Tests.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Stages;

/// <summary>
/// The transfer stage on the tiny network: a source trained for 2 classes is fine-tuned on the 4-class phantoms.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public sealed class TransferStageTests
{
    private const long Seed = 42;

    /// <summary>A 2-class source network (its own seed, so its weights differ from a fresh target's) saved as a pipeline checkpoint.</summary>
    private static string SourceCheckpoint(StageTestBed bed)
    {
        manual_seed(1234);
        using var source = new TinySegmentationNetwork(1, 2);
        string path = Path.Combine(bed.RunDirectory, "source-2-classes.ckpt");
        new FileModelFactory(1, 2).Save(source, path);
        return path;
    }

    private static TransferOptions Options(string source, int iterations, int freeze = 0)
    {
        var train = TrainStageTests.TinyOptions(iterations);
        return new TransferOptions
        {
            Dataset = train.Dataset, Iterations = iterations, BatchSize = train.BatchSize, PatchSize = train.PatchSize,
            LearningRate = train.LearningRate, WeightDecay = 0.01, ForegroundRatio = train.ForegroundRatio,
            ValidateEvery = 0, LogEvery = 1, CheckpointEvery = 1, SwBatchSize = 1, GradClipNorm = 1.0,
            SourceCheckpoint = source, FreezeEncoderIterations = freeze,
        };
    }

    private static string Latest(StageTestBed bed) => Path.Combine(bed.RunDirectory, "checkpoints", "transfer", TrainStage.LatestCheckpointFile);

    private static void AssertEqual(Tensor expected, Tensor actual, string what) =>
        Assert.True(expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>(), $"{what} differs");

    private static void AssertDiffers(Tensor expected, Tensor actual, string what) =>
        Assert.False(expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>(), $"{what} is unchanged");

    [Fact]
    public async Task TakesEverythingButTheHeadFromASourceWithAnotherClassCount()
    {
        using var bed = new StageTestBed();
        string source = SourceCheckpoint(bed);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Cancelled before its first step, the stage saves the network exactly as it was initialised.
        var result = await new TransferStage().RunAsync(bed.Context("transfer", seed: Seed), Options(source, 5), cancelled.Token);

        Assert.True(result.Interrupted);
        Assert.Equal(Latest(bed), result.Artifacts[TrainStage.LatestModelArtifact]);
        using var initialised = bed.Models.Load(Latest(bed));
        using var trained = bed.Models.Load(source);
        manual_seed(Seed);
        using var fresh = new TinySegmentationNetwork(1, 4);
        Assert.Equal(4, initialised.OutChannels);
        var weights = initialised.state_dict();
        AssertEqual(trained.state_dict()["features.weight"], weights["features.weight"], "features.weight");
        AssertEqual(trained.state_dict()["features.bias"], weights["features.bias"], "features.bias");
        // The head is the one a fresh 4-class network gets from the run's seed.
        AssertEqual(fresh.state_dict()["head.weight"], weights["head.weight"], "head.weight");
        AssertEqual(fresh.state_dict()["head.bias"], weights["head.bias"], "head.bias");
        AssertDiffers(fresh.state_dict()["features.weight"], weights["features.weight"], "features.weight (vs a fresh network)");

        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(bed.RunDirectory, "transfer", TransferStage.TransferRecordFile)));
        Assert.Equal(source, record.RootElement.GetProperty("source_checkpoint").GetString());
        Assert.Equal(2, record.RootElement.GetProperty("loaded_tensors").GetInt32());
        Assert.Equal(HeadReplacement.FoundByShapes, record.RootElement.GetProperty("head_found_by").GetString());
        var head = record.RootElement.GetProperty("head").EnumerateArray()
            .Select(h => (h.GetProperty("key").GetString(), h.GetProperty("source_shape")[0].GetInt64(), h.GetProperty("shape")[0].GetInt64())).ToList();
        Assert.Equal([("head.weight", 2L, 4L), ("head.bias", 2L, 4L)], head);
        Assert.Equal(new[] { "head.weight", "head.bias" }, (IEnumerable<string?>)result.Summary["replaced_head"]!);
    }

    [Fact]
    public async Task FrozenEncoderStaysUnchangedForItsIterationsThenTrains()
    {
        using var bed = new StageTestBed();
        string source = SourceCheckpoint(bed);
        using var trained = bed.Models.Load(source);

        // Two iterations, both frozen (with weight decay and gradient clipping on): the encoder is the source's, bit for bit.
        await new TransferStage().RunAsync(bed.Context("transfer", seed: Seed), Options(source, 2, freeze: 2), CancellationToken.None);
        using (var frozen = bed.Models.Load(Latest(bed)))
        {
            AssertEqual(trained.state_dict()["features.weight"], frozen.state_dict()["features.weight"], "frozen features.weight");
            AssertEqual(trained.state_dict()["features.bias"], frozen.state_dict()["features.bias"], "frozen features.bias");
            manual_seed(Seed);
            using var fresh = new TinySegmentationNetwork(1, 4);
            AssertDiffers(fresh.state_dict()["head.weight"], frozen.state_dict()["head.weight"], "head.weight");
        }
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(bed.RunDirectory, "transfer", TransferStage.TransferRecordFile))))
        {
            Assert.Equal(2, record.RootElement.GetProperty("frozen_tensors").GetInt32());
            Assert.Equal("features.", record.RootElement.GetProperty("frozen_prefixes")[0].GetString());
        }

        // The same run one iteration longer: iteration 3 trains the encoder.
        using var longer = new StageTestBed();
        string longerSource = SourceCheckpoint(longer);
        await new TransferStage().RunAsync(longer.Context("transfer", seed: Seed), Options(longerSource, 3, freeze: 2), CancellationToken.None);
        using var unfrozen = longer.Models.Load(Latest(longer));
        AssertDiffers(trained.state_dict()["features.weight"], unfrozen.state_dict()["features.weight"], "features.weight after unfreezing");
    }

    [Fact]
    public async Task StoppedAndResumedTransferEqualsAnUninterruptedOne()
    {
        using var reference = new StageTestBed();
        string referenceSource = SourceCheckpoint(reference);
        var expected = await Run(reference, Options(referenceSource, 6, freeze: 3), resume: false, CancellationToken.None);

        using var bed = new StageTestBed();
        string source = SourceCheckpoint(bed);
        bool armed = true;
        using var cancellation = new CancellationTokenSource();
        bed.Progress.When(p => p.Report(Arg.Is<ProgressUpdate>(u => u.Step == 2))).Do(_ => { if (armed) cancellation.Cancel(); });
        var stopped = await Run(bed, Options(source, 6, freeze: 3), resume: false, cancellation.Token);
        Assert.True(stopped.Interrupted);
        // A resumed stage continues from its own latest.ckpt and does not read the source again.
        File.WriteAllText(source, "not a checkpoint any more");
        armed = false;
        var resumed = await Run(bed, Options(source, 6, freeze: 3), resume: true, CancellationToken.None);

        Assert.False(resumed.Interrupted);
        Assert.Equal(TrainTestRuns.LossCurve(Metrics(reference)), TrainTestRuns.LossCurve(Metrics(bed)));
        using var a = reference.Models.Load(Latest(reference));
        using var b = bed.Models.Load(Latest(bed));
        TrainTestRuns.AssertSameWeights(a, b);
        Assert.Equal((IEnumerable<string?>)expected.Summary["replaced_head"]!, (IEnumerable<string?>)resumed.Summary["replaced_head"]!);
    }

    [Fact]
    public async Task MismatchedTensorsOtherThanTheHeadAreListed()
    {
        using var bed = new StageTestBed();
        // A PyTorch-style state_dict (safetensors) of a narrower network: its first layer cannot be loaded.
        using var narrow = new TinySegmentationNetwork(1, 2, width: 4);
        string source = Path.Combine(bed.RunDirectory, "narrow.safetensors");
        SafetensorsFile.Write(narrow.state_dict(), source);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new TransferStage().RunAsync(bed.Context("transfer", seed: Seed), Options(source, 2), CancellationToken.None));

        Assert.Contains("Stage 'transfer'", error.Message);
        Assert.Contains("features.weight: new model [8, 1, 3, 3, 3], source [4, 1, 3, 3, 3]", error.Message);
        Assert.Contains("features.bias: new model [8], source [4]", error.Message);
        // The head's width changed too, so it is not a class-count-only difference either.
        Assert.Contains("head.weight: new model [4, 8, 1, 1, 1], source [2, 4, 1, 1, 1]", error.Message);
        Assert.Contains("head_prefixes", error.Message);
    }

    [Fact]
    public void HeadCanBeNamedAndEqualClassCountsKeepTheSourceHead()
    {
        using var scope = NewDisposeScope();
        using var source = new TinySegmentationNetwork(1, 4);
        using var target = new TinySegmentationNetwork(1, 4);
        var sourceTensors = source.state_dict();

        var same = HeadReplacement.Plan(sourceTensors, target.state_dict(), [], 4, "source");
        Assert.Empty(same.Head);
        Assert.Equal(4, same.LoadedKeys.Count);

        var named = HeadReplacement.Plan(sourceTensors, target.state_dict(), ["head."], 4, "source");
        Assert.Equal(["head.weight", "head.bias"], named.Head.Select(h => h.Key));
        Assert.Equal(HeadReplacement.FoundByPrefixes, named.HeadFound);
        var headBefore = target.state_dict()["head.weight"].clone();
        HeadReplacement.Apply(target, sourceTensors, named);
        AssertEqual(sourceTensors["features.weight"], target.state_dict()["features.weight"], "features.weight");
        AssertEqual(headBefore, target.state_dict()["head.weight"], "head.weight");

        var typo = Assert.Throws<ArgumentException>(() => HeadReplacement.Plan(sourceTensors, target.state_dict(), ["out."], 4, "source"));
        Assert.Contains("'out.' matches no tensor", typo.Message);
        Assert.Contains("features., head.", typo.Message);
    }

    [Fact]
    public void OptionsNeedExactlyOneSource()
    {
        var neither = new TransferOptions { Dataset = "d" };
        Assert.Equal(["source_checkpoint"], neither.Validate().Select(p => p.Key));
        var both = new TransferOptions { Dataset = "d", SourceCheckpoint = "x.ckpt", SourceStage = "train", FreezeEncoderIterations = -1 };
        Assert.Equal(["source_checkpoint", "freeze_encoder_iterations"], both.Validate().Select(p => p.Key));
        var missing = new TransferOptions { Dataset = "d", SourceCheckpoint = "/no/such/file.ckpt", Iterations = 0 };
        Assert.Equal(["iterations", "source_checkpoint"], missing.Validate().Select(p => p.Key));
    }

    private static string Metrics(StageTestBed bed) => Path.Combine(bed.RunDirectory, "metrics.jsonl");

    private static async Task<StageResult> Run(StageTestBed bed, TransferOptions options, bool resume, CancellationToken token)
    {
        using var metrics = new JsonlMetricsSink(Metrics(bed), Path.Combine(bed.RunDirectory, "tensorboard"));
        return await new TransferStage().RunAsync(bed.Context("transfer", seed: Seed, metrics: metrics, resume: resume), options, token);
    }
}
