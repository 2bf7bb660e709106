using Pipeline.Core.Engine;
using Pipeline.Core.Stages;
using Pipeline.Plugins.Models;
using Pipeline.Plugins.Models.Nets;
using Pipeline.Plugins.Priors.None;
using Pipeline.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>
/// The <c>swin-unetr</c> backbone trains through the train stage on synthetic phantoms with the engine's own model
/// factory (plugin catalog, checkpoint format), at the smallest size it accepts: feature size 12, 32³ patches, two
/// steps. At 32³ the bottleneck is a single voxel, where instance norm outputs zeros (PyTorch would refuse it in
/// training); that is enough to show the wiring, and pipelines/swin-unetr-synthetic.yaml trains on 64×64×32 patches.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public sealed class SwinUnetrTrainingTests(PluginCatalogFixture plugins) : IClassFixture<PluginCatalogFixture>
{
    [Fact]
    public async Task TrainsTwoStepsOnSyntheticPhantomsAndSavesAReloadableCheckpoint()
    {
        using var bed = new StageTestBed(size: 32, cases: 3, validationCases: 1);
        var backboneOptions = new SwinUnetrOptions
        {
            InChannels = bed.Dataset.InputChannels, OutChannels = bed.Dataset.ClassNames.Count, FeatureSize = 12,
        };
        var models = new ModelFactory(plugins.Catalog, SwinUnetrBackbone.Name, backboneOptions, "none", new NoPriorOptions(), CPU);
        var template = bed.Context("train");
        var context = new StageContext
        {
            StageName = template.StageName, StageDirectory = template.StageDirectory, RunDirectory = template.RunDirectory,
            CheckpointDirectory = template.CheckpointDirectory, Seed = template.Seed, Device = template.Device, Models = models,
            Datasets = template.Datasets, CompletedStages = template.CompletedStages, Metrics = template.Metrics,
            Progress = template.Progress, Logger = template.Logger,
        };
        var options = TrainStageTests.TinyOptions(2);
        options.BatchSize = 1;
        options.PatchSize = [32, 32, 32];
        options.RoiSize = [32, 32, 32];
        options.ValidateEvery = 2;
        options.LogEvery = 1;
        options.CheckpointEvery = 2;
        options.LearningRate = 1e-3;

        var result = await new TrainStage().RunAsync(context, options, CancellationToken.None);

        Assert.False(result.Interrupted);
        Assert.Equal(2, result.Summary["iterations"]);
        var losses = bed.Records.Where(r => r.ContainsKey("loss")).Select(r => (double)r["loss"]!).ToList();
        Assert.Equal(2, losses.Count);
        Assert.All(losses, loss => Assert.True(double.IsFinite(loss) && loss > 0, $"loss {loss}"));
        Assert.Contains(bed.Records, r => r.ContainsKey("validation_mean_dice"));

        string latest = result.Artifacts[TrainStage.LatestModelArtifact];
        using var reloaded = models.Load(latest);
        var swin = Assert.IsType<SwinUnetr>(reloaded);
        Assert.Equal(12, swin.FeatureSize);
        var index = swin.state_dict()["swinViT.layers1.0.blocks.0.attn.relative_position_index"];
        Assert.Equal(ScalarType.Int64, index.dtype);
        Assert.Equal(1098L, index[0, 0].item<long>());
    }
}
