using Pipeline.Core.Manifest;
using Pipeline.Core.Plugins;
using static Pipeline.Tests.Manifest.ManifestTestKit;

namespace Pipeline.Tests.Manifest;

public class ManifestLoaderTests
{
    [Fact]
    public void QuickstartLoadsWithEveryOptionBound()
    {
        var manifest = Load(Quickstart);

        Assert.Equal("quickstart", manifest.Name);
        Assert.Equal(42, manifest.Seed);
        Assert.Equal(ComputeDevice.Cpu, manifest.Device);
        Assert.Equal("/data/project/runs", manifest.OutputRoot);
        Assert.Equal(SourceName, manifest.Source);

        var phantoms = Assert.Single(manifest.Datasets);
        Assert.Equal("phantoms", phantoms.Key);
        Assert.Equal(PluginKind.Dataset, phantoms.Value.Kind);
        var dataset = Assert.IsType<SyntheticDatasetOptions>(phantoms.Value.Options);
        Assert.Equal((12, 48), (dataset.Cases, dataset.Size));

        Assert.Equal("3d-ux-net", manifest.Model.Plugin);
        var model = Assert.IsType<UxNetOptions>(manifest.Model.Options);
        Assert.Equal(4, model.OutChannels);
        Assert.Equal([16, 32, 64, 128], model.FeatureSizes);

        Assert.Equal("none", manifest.Prior.Plugin);
        Assert.IsType<NoPriorOptions>(manifest.Prior.Options);

        Assert.Equal(["train", "validate"], manifest.Stages.Select(stage => stage.Name));
        var train = Assert.IsType<TrainOptions>(manifest.Stages[0].Section.Options);
        Assert.Equal(("phantoms", 200), (train.Dataset, train.Iterations));
        var validate = Assert.IsType<ValidateOptions>(manifest.Stages[1].Section.Options);
        Assert.Equal(("phantoms", "train"), (validate.Dataset, validate.Model));
    }

    [Fact]
    public void AbsentKeysKeepTheClassDefaults()
    {
        var manifest = Load(Quickstart);

        var model = (UxNetOptions)manifest.Model.Options;
        Assert.Equal(1, model.InChannels);
        Assert.Equal(NormKind.Instance, model.Norm);
        Assert.Null(model.LayerScale);
        Assert.True(model.Dropout.Spatial);
        var train = (TrainOptions)manifest.Stages[0].Section.Options;
        Assert.Equal(1e-4, train.LearningRate);
        Assert.Equal([96, 96, 96], train.RoiSize);
        Assert.Equal(0.1, ((SyntheticDatasetOptions)manifest.Datasets["phantoms"].Options).NoiseStd);
    }

    [Fact]
    public void HeaderAndPriorHaveDefaults()
    {
        const string yaml = """
            name: minimal
            model:
              backbone: 3d-ux-net
            stages:
              - name: train
                plugin: train
                options: { dataset: phantoms }
            datasets:
              phantoms: { plugin: synthetic }
            """;

        var manifest = Load(yaml);

        Assert.Equal(0, manifest.Seed);
        Assert.Equal(ComputeDevice.Auto, manifest.Device);
        Assert.Equal("/data/project/runs", manifest.OutputRoot);
        Assert.Equal("none", manifest.Prior.Plugin);
        Assert.Equal("prior", manifest.Prior.Path);
        Assert.Equal(8, ((SyntheticDatasetOptions)manifest.Datasets["phantoms"].Options).Cases);
    }

    [Fact]
    public void SectionsRememberWhereTheyStart()
    {
        var manifest = Load(Quickstart);

        var validate = manifest.Stages[1].Section;
        Assert.Equal("stages[1]", validate.Path);
        Assert.Equal($"{SourceName}:19:5", validate.Location.ToString());
        Assert.Equal("datasets.phantoms", manifest.Datasets["phantoms"].Path);
        Assert.Equal(7, manifest.Datasets["phantoms"].Location.Line);
    }

    [Fact]
    public void LoadResolvesOutputRootAgainstTheManifestFolder()
    {
        var folder = Directory.CreateTempSubdirectory("manifest-load-");
        try
        {
            var path = Path.Combine(folder.FullName, "pipeline.yaml");
            File.WriteAllText(path, Quickstart.Replace("output_root: runs", "output_root: ../out/runs"));

            var manifest = ManifestLoader.Load(path, [], TestCatalog.Create());

            var expected = Path.GetFullPath(Path.Combine(folder.FullName, "..", "out", "runs"));
            Assert.Equal(expected, manifest.OutputRoot);
            Assert.Equal(path, manifest.Source);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void ErrorsOfALoadedFileNameTheFileAsGiven()
    {
        var folder = Directory.CreateTempSubdirectory("manifest-load-");
        try
        {
            var path = Path.Combine(folder.FullName, "broken.yaml");
            File.WriteAllText(path, Quickstart.Replace("seed: 42", "seed: many"));

            var exception = Assert.Throws<ManifestException>(() => ManifestLoader.Load(path, [], TestCatalog.Create()));

            Assert.Equal($"{path}:2:7: seed: expected an integer, got 'many'", exception.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AMissingFileIsAnIoError()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        Assert.Throws<FileNotFoundException>(() => ManifestLoader.Load(missing, [], TestCatalog.Create()));
    }
}
