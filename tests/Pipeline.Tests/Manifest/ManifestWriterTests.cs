using Pipeline.Core.IO;
using Pipeline.Core.Manifest;
using static Pipeline.Tests.Manifest.ManifestTestKit;

namespace Pipeline.Tests.Manifest;

public class ManifestWriterTests
{
    private static readonly string[] Overrides =
    [
        "stages.train.options.iterations=5",
        "model.options.class_weights={liver: 2, tumor: 0.1}",
        "model.options.tags=['2024', 'true', 'null', '', 'a: b']",
        "model.options.layer_scale=0.1",
        "model.options.norm=group-norm",
        "model.options.dropout.rate=.inf",
        "prior.plugin=frequency",
        "prior.options.sigma=0.3333333333333333",
        "stages.train.options.resume_from=123",
    ];

    [Fact]
    public void ResolvedYamlLoadsBackToAnEqualManifest()
    {
        var original = Load(Quickstart, Overrides);

        var yaml = ManifestWriter.ToYaml(original);
        var reloaded = ManifestLoader.Parse(yaml, "resolved.yaml", [], TestCatalog.Create(), "/somewhere/else");

        Assert.Equal(yaml, ManifestWriter.ToYaml(reloaded));
        Assert.Equal((original.Name, original.Seed, original.Device, original.OutputRoot),
            (reloaded.Name, reloaded.Seed, reloaded.Device, reloaded.OutputRoot));
        var model = (UxNetOptions)reloaded.Model.Options;
        Assert.Equal(["2024", "true", "null", "", "a: b"], model.Tags);
        Assert.Equal(0.1f, model.LayerScale);
        Assert.Equal(NormKind.GroupNorm, model.Norm);
        Assert.Equal(double.PositiveInfinity, model.Dropout.Rate);
        Assert.Equal(new Dictionary<string, double> { ["liver"] = 2, ["tumor"] = 0.1 }, model.ClassWeights);
        Assert.Equal(0.3333333333333333, ((FrequencyPriorOptions)reloaded.Prior.Options).Sigma);
        var train = (TrainOptions)reloaded.Stages[0].Section.Options;
        Assert.Equal((5, "123"), (train.Iterations, train.ResumeFrom));
    }

    [Fact]
    public void ResolvedYamlSpellsOutDefaultsInAStableOrder()
    {
        var yaml = ManifestWriter.ToYaml(Load(Quickstart));

        Assert.Equal(
            """
            name: quickstart
            seed: 42
            device: cpu
            output_root: /data/project/runs
            datasets:
              phantoms:
                plugin: synthetic
                options:
                  cases: 12
                  size: 48
                  noise_std: 0.1
            model:
              backbone: 3d-ux-net
              options:
                in_channels: 1
                out_channels: 4
                feature_sizes: [16, 32, 64, 128]
                norm: instance
                layer_scale: ~
                dropout:
                  rate: 0
                  spatial: true
                class_weights: {}
                tags: []
                max_voxels: 8589934592
            prior:
              plugin: none
              options: {}
            stages:
            - name: train
              plugin: train
              options:
                dataset: phantoms
                iterations: 200
                learning_rate: 0.0001
                roi_size: [96, 96, 96]
                resume_from: ~
            - name: validate
              plugin: validate
              options:
                dataset: phantoms
                model: train
                also_on: []

            """,
            yaml);
    }

    [Fact]
    public void WriteFileWritesTheResolvedYamlWithoutLeavingTemporaryFiles()
    {
        var folder = Directory.CreateTempSubdirectory("manifest-write-");
        try
        {
            var manifest = Load(Quickstart);
            var path = Path.Combine(folder.FullName, "run", "manifest.resolved.yaml");

            ManifestWriter.WriteFile(manifest, path);

            Assert.Equal(ManifestWriter.ToYaml(manifest), File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AtomicWriteReplacesAnExistingFile()
    {
        var folder = Directory.CreateTempSubdirectory("atomic-");
        try
        {
            var path = Path.Combine(folder.FullName, "summary.json");
            File.WriteAllText(path, "old content that is longer than the new one");

            AtomicFile.WriteAllText(path, "new");

            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal([0x6E, 0x65, 0x77], File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
