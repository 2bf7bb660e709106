using NSubstitute;
using Pipeline.Core.Data;
using Pipeline.Core.Data.Cache;
using Pipeline.Core.Engine;
using Pipeline.Core.Stages;
using Pipeline.Core.Transforms;

namespace Pipeline.Tests.Training;

/// <summary>
/// Prefetching and the case caches change where and when cases are loaded and patches drawn, never what training
/// computes: every combination gives the loss curve, validations and weights of sequential sampling from memory,
/// also across a stop and resume.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public class TrainLoaderTests
{
    private static TrainOptions Options(int prefetch, CaseCacheMode? cache)
    {
        var options = TrainStageTests.TinyOptions(12);
        options.LogEvery = 5;
        options.CheckpointEvery = 4;
        options.ValidateEvery = 6;
        options.Prefetch = prefetch;
        options.Cache = cache;
        return options;
    }

    private static StageTestBed Bed()
    {
        var bed = new StageTestBed();
        bed.Datasets.Definition(StageTestBed.DatasetName).Returns(new DatasetDefinition(
            StageTestBed.DatasetName, "plugin: synthetic\noptions: {cases: 6, validation_cases: 2, size: 32, seed: 3}\n",
            Path.Combine(bed.RunDirectory, "cache")));
        return bed;
    }

    private static string Metrics(StageTestBed bed) => Path.Combine(bed.RunDirectory, "metrics.jsonl");

    private static async Task<StageResult> Train(StageTestBed bed, TrainOptions options, bool resume = false, CancellationToken token = default,
                                                 Compose? augment = null)
    {
        using var metrics = new JsonlMetricsSink(Metrics(bed));
        return await new TrainStage().RunAsync(bed.Context("train", metrics: metrics, resume: resume, augment: augment), options, token);
    }

    private static Compose FlipsAndTurns() => new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse("""
        - name: rand_flip
          prob: 0.5
          spatial_axis: [0, 1, 2]
        - name: rand_rotate90
          prob: 0.5
        """, "augment.yaml");

    private static void AssertSameTraining(StageTestBed expected, StageTestBed actual)
    {
        Assert.Equal(TrainTestRuns.LossCurve(Metrics(expected)), TrainTestRuns.LossCurve(Metrics(actual)));
        Assert.Equal(TrainTestRuns.Validations(Metrics(expected)), TrainTestRuns.Validations(Metrics(actual)));
        using var expectedNetwork = expected.Models.Load(expected.LatestCheckpoint);
        using var actualNetwork = actual.Models.Load(actual.LatestCheckpoint);
        TrainTestRuns.AssertSameWeights(expectedNetwork, actualNetwork);
    }

    [Theory]
    [InlineData(3, CaseCacheMode.Disk)]
    [InlineData(1, CaseCacheMode.None)]
    public async Task PrefetchingAndCachesGiveTheTrainingOfSequentialSamplingFromMemory(int prefetch, CaseCacheMode cache)
    {
        using var reference = Bed();
        await Train(reference, Options(prefetch: 0, CaseCacheMode.Memory));
        using var bed = Bed();
        var result = await Train(bed, Options(prefetch, cache));

        AssertSameTraining(reference, bed);
        Assert.InRange((double)result.Summary["data_wait_share"]!, 0, 1);
        var record = TrainTestRuns.Records(Metrics(bed)).First(r => r.TryGetProperty("loss", out _));
        Assert.True(record.GetProperty("data_wait_ms").GetDouble() <= record.GetProperty("step_ms").GetDouble());
        string folder = Path.Combine(bed.RunDirectory, "cache", "preprocessed");
        if (cache == CaseCacheMode.Disk)
            Assert.Equal(8, Directory.GetFiles(Assert.Single(Directory.GetDirectories(folder)), "*.json").Length);
        else
            Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AStoppedRunWithPrefetchAndDiskCacheResumesExactly()
    {
        using var reference = Bed();
        await Train(reference, Options(prefetch: 0, CaseCacheMode.Memory));

        using var bed = Bed();
        var options = Options(prefetch: 4, CaseCacheMode.Disk);
        bool armed = true;
        using var cancellation = new CancellationTokenSource();
        bed.Progress.When(p => p.Report(Arg.Is<ProgressUpdate>(u => u.Step == 7))).Do(_ => { if (armed) cancellation.Cancel(); });
        var stopped = await Train(bed, options, token: cancellation.Token);
        Assert.True(stopped.Interrupted);
        // The producer had drawn ahead; the checkpoint holds the state after the 7th batch, the last one used.
        Assert.Equal(7, TrainProgress.Read(bed.LatestCheckpoint)!.SamplerBatches);

        armed = false;
        var resumed = await Train(bed, options, resume: true);
        Assert.False(resumed.Interrupted);
        AssertSameTraining(reference, bed);
    }

    [Fact]
    public async Task AugmentationOnThePrefetchThreadMatchesSequentialAugmentationAcrossAResume()
    {
        var sequential = Options(prefetch: 0, CaseCacheMode.Memory);
        sequential.AccumulationSteps = 2;
        using var reference = Bed();
        await Train(reference, sequential, augment: FlipsAndTurns());
        using var plain = Bed();
        await Train(plain, sequential);
        Assert.NotEqual(TrainTestRuns.LossCurve(Metrics(reference)), TrainTestRuns.LossCurve(Metrics(plain)));

        using var bed = Bed();
        var prefetched = Options(prefetch: 3, CaseCacheMode.Memory);
        prefetched.AccumulationSteps = 2;
        bool armed = true;
        using var cancellation = new CancellationTokenSource();
        bed.Progress.When(p => p.Report(Arg.Is<ProgressUpdate>(u => u.Step == 5))).Do(_ => { if (armed) cancellation.Cancel(); });
        Assert.True((await Train(bed, prefetched, token: cancellation.Token, augment: FlipsAndTurns())).Interrupted);
        armed = false;
        await Train(bed, prefetched, resume: true, augment: FlipsAndTurns());
        AssertSameTraining(reference, bed);
    }

    [Fact]
    public async Task DiskCacheNeedsADatasetDefinition()
    {
        using var bed = new StageTestBed();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Train(bed, Options(2, CaseCacheMode.Disk)));
        Assert.Contains("cache: disk needs the definition of dataset 'phantoms'", error.Message);
    }

    [Fact]
    public void CacheOptionsAreChecked()
    {
        var options = Options(-1, CaseCacheMode.Memory);
        options.CacheCases = false;
        options.CacheImageDtype = (CacheImageType)42;
        var problems = options.Validate().ToDictionary(p => p.Key, p => p.Message);
        Assert.Contains("contradicts cache_cases: false", problems["cache"]);
        Assert.Contains("got -1", problems["prefetch"]);
        Assert.Contains("cache_image_dtype", problems.Keys);
        Assert.Equal(CaseCacheMode.None, new TrainOptions { CacheCases = false }.EffectiveCache());
        Assert.Equal(CaseCacheMode.Memory, new TrainOptions().EffectiveCache());
        Assert.Equal(CaseCacheMode.Disk, new TrainOptions { Cache = CaseCacheMode.Disk, CacheCases = false }.EffectiveCache());
    }
}
