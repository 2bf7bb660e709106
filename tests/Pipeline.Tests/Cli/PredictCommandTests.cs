using System.Text.Json;
using Pipeline.Cli.Cli;
using Pipeline.Cli.Commands;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;
using Pipeline.Plugins.Priors.None;
using Pipeline.Tests.Checkpoints;
using Pipeline.Tests.Inference;

namespace Pipeline.Tests.Cli;

/// <summary>
/// <c>pipeline predict</c>: one LSA-oriented anisotropic image, preprocessed to RAS at 2 mm, predicted and written back
/// on its own grid; nibabel must read the input's geometry (shape, qform and sform with their codes) from the outputs.
/// </summary>
public sealed class PredictCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-predict-").FullName;

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public async Task TheSegmentationIsTheThresholdedImageOnTheSourceGridWithItsGeometry()
    {
        RampImage.Write(PathOf("ramp.nii.gz"));
        File.WriteAllText(PathOf("preprocess.yaml"), RampImage.PreprocessYaml);
        using var catalog = ThresholdBackbone.Catalog();
        RampImage.WriteCheckpoint(catalog, PathOf("threshold.ckpt"));
        Assert.Equal("LSA", Orientation.FromAffine(RampImage.Affine).AxisCodes);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var command = new PredictCommand(catalog, new CliOutput(stdout, stderr));
        var line = CommandLine.Parse(["predict", "--checkpoint", PathOf("threshold.ckpt"), "--input", PathOf("ramp.nii.gz"),
            "--output", PathOf("seg.nii.gz"), "--probabilities", PathOf("prob.nii.gz"), "--preprocess", PathOf("preprocess.yaml"),
            "--roi", "8", "--overlap", "0.5", "--blend", "gaussian", "--mirror-axes", "0,2"], _ => 1);
        Assert.Equal(0, await command.ExecuteAsync(line, CancellationToken.None));
        Assert.Contains("memory estimate: ~", stdout.ToString());
        Assert.Contains("after orientation, spacing", stdout.ToString());

        var files = NibabelView.Read(new Dictionary<string, string>
        {
            ["input"] = PathOf("ramp.nii.gz"), ["seg"] = PathOf("seg.nii.gz"), ["prob"] = PathOf("prob.nii.gz"),
        });
        var (input, seg, prob) = (files["input"], files["seg"], files["prob"]);
        Assert.Equal((1, 4), (input.QFormCode, input.SFormCode));
        NibabelView.AssertSameGeometry(input, seg);
        NibabelView.AssertSameGeometry(input, prob);
        Assert.Equal(RampImage.Shape, seg.Shape);
        Assert.Equal("uint8", seg.DataType);
        Assert.Equal((0.0, 0.0), (seg.CalMin, seg.CalMax));

        var labels = seg.Data.Select(v => (long)v).ToArray();
        var (wrong, band) = RampImage.Compare(labels);
        Assert.Equal(0, wrong);
        // The test means something only when most voxels are outside the band and both classes occur there.
        Assert.True(band < labels.Length / 3, $"{band} of {labels.Length} voxels are in the band");
        Assert.InRange(labels.Count(l => l == 1), labels.Length / 5, labels.Length * 4 / 5);

        Assert.Equal([.. RampImage.Shape, 2], prob.Shape);
        Assert.Equal("float32", prob.DataType);
        var values = RampImage.Values();
        for (int n = 0; n < labels.Length; n++)
        {
            double p0 = prob.Data[2 * n], p1 = prob.Data[2 * n + 1];
            Assert.True(Math.Abs(p0 + p1 - 1) < 1e-5, $"voxel {n}: probabilities sum to {p0 + p1}");
            if (Math.Abs(values[n] - RampImage.Threshold) > RampImage.Band)
                Assert.Equal(labels[n] == 1, p1 > 0.5);
        }
    }

    [Fact]
    public async Task ARealBackboneCheckpointWritesFilesNibabelReadsWithTheInputGeometry()
    {
        RampImage.Write(PathOf("ramp.nii.gz"));
        File.WriteAllText(PathOf("preprocess.yaml"), RampImage.PreprocessYaml);
        using (var catalog = PluginCatalogFactory.Create(AppContext.BaseDirectory, [], null))
        {
            using var network = SmallBackbones.Build(catalog, "3d-ux-net", seed: 7);
            var options = SmallBackbones.Options("3d-ux-net");
            ModelCheckpoint.Save(network, new ModelDescription
            {
                Backbone = "3d-ux-net",
                BackboneOptions = JsonSerializer.SerializeToElement(options, options.GetType(), ModelCheckpoint.OptionsJson),
                Prior = "none",
                PriorOptions = JsonSerializer.SerializeToElement(new NoPriorOptions(), ModelCheckpoint.OptionsJson),
                PriorFolded = true,
            }, PathOf("uxnet.ckpt"));
        }

        var result = await CliRunner.RunAsync("predict", "--checkpoint", PathOf("uxnet.ckpt"), "--input", PathOf("ramp.nii.gz"),
            "--output", PathOf("seg.nii"), "--probabilities", PathOf("prob.nii.gz"), "--preprocess", PathOf("preprocess.yaml"), "--roi", "32");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("model: 3d-ux-net", result.Out);

        var files = NibabelView.Read(new Dictionary<string, string>
        {
            ["input"] = PathOf("ramp.nii.gz"), ["seg"] = PathOf("seg.nii"), ["prob"] = PathOf("prob.nii.gz"),
        });
        NibabelView.AssertSameGeometry(files["input"], files["seg"]);
        NibabelView.AssertSameGeometry(files["input"], files["prob"]);
        Assert.Equal(RampImage.Shape, files["seg"].Shape);
        Assert.Equal("uint8", files["seg"].DataType);
        Assert.Subset(new HashSet<double> { 0, 1 }, files["seg"].Data.ToHashSet());
        var probabilities = files["prob"].Data;
        Assert.Equal([.. RampImage.Shape, 2], files["prob"].Shape);
        for (int n = 0; n < probabilities.Length; n += 2)
            Assert.True(Math.Abs(probabilities[n] + probabilities[n + 1] - 1) < 1e-5, $"voxel {n / 2}: probabilities sum to {probabilities[n] + probabilities[n + 1]}");
    }

    [Fact]
    public async Task MistakesAreNamedBeforeAnythingIsPredicted()
    {
        RampImage.Write(PathOf("ramp.nii.gz"));
        File.WriteAllText(PathOf("random.yaml"), "- name: orientation\n- name: rand_flip\n  prob: 0.5\n");
        File.WriteAllText(PathOf("fake.ckpt"), "not a checkpoint");

        var missingOutput = await CliRunner.RunAsync("predict", "--checkpoint", PathOf("fake.ckpt"), "--input", PathOf("ramp.nii.gz"));
        Assert.Equal(2, missingOutput.ExitCode);
        Assert.Contains("--output", missingOutput.Error);

        var random = await CliRunner.RunAsync("predict", "--checkpoint", PathOf("fake.ckpt"), "--input", PathOf("ramp.nii.gz"),
            "--output", PathOf("seg.nii.gz"), "--preprocess", PathOf("random.yaml"));
        Assert.Equal(2, random.ExitCode);
        Assert.Contains("'rand_flip' is random", random.Error);

        var badName = await CliRunner.RunAsync("predict", "--checkpoint", PathOf("fake.ckpt"), "--input", PathOf("ramp.nii.gz"),
            "--output", PathOf("seg.mha"));
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains(".nii or .nii.gz", badName.Error);

        var notCheckpoint = await CliRunner.RunAsync("predict", "--checkpoint", PathOf("fake.ckpt"), "--input", PathOf("ramp.nii.gz"),
            "--output", PathOf("seg.nii.gz"));
        Assert.Equal(2, notCheckpoint.ExitCode);
        Assert.Contains("not a pipeline model checkpoint", notCheckpoint.Error);
        Assert.False(File.Exists(PathOf("seg.nii.gz")));
    }

    [Fact]
    public async Task AnInferStageAfterTrainingWritesOnePredictionPerCaseOfTheSplit()
    {
        File.WriteAllText(PathOf("infer.yaml"), """
            name: infer-e2e
            seed: 1
            device: cpu
            output_root: runs
            datasets:
              phantoms:
                plugin: synthetic
                options: { cases: 2, validation_cases: 1, size: [32, 32, 32], classes: 2, seed: 5 }
            model:
              backbone: 3d-ux-net
              options: { out_channels: 3, feature_sizes: [4, 8, 16, 32], hidden_size: 32, kernel_size: 3, head_follows_feature_size: true }
            stages:
              - name: train
                plugin: train
                options: { dataset: phantoms, iterations: 1, batch_size: 1, patch_size: [32, 32, 32], validate_every: 0, roi_size: [32, 32, 32] }
              - name: infer
                plugin: infer
                options: { model: train, checkpoint: latest, dataset: phantoms, split: validation, roi_size: [32, 32, 32], blend: constant, write_probabilities: true }
            """);

        var result = await CliRunner.RunAsync("run", PathOf("infer.yaml"));
        Assert.True(result.ExitCode == 0, result.Error + result.Out);

        string run = Assert.Single(Directory.GetDirectories(PathOf(Path.Combine("runs", "infer-e2e"))));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        var infer = summary.RootElement.GetProperty("stages").GetProperty("infer");
        Assert.Equal(1, infer.GetProperty("predicted").GetInt32());
        string prediction = Assert.Single(Directory.GetFiles(Path.Combine(run, "infer", "predictions")));
        using var labels = Pipeline.Core.Imaging.Nifti.NiftiReader.Read(prediction);
        Assert.Equal([32L, 32, 32], labels.Shape);
        using var probabilities = Pipeline.Core.Imaging.Nifti.NiftiReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(run, "infer", "probabilities"))));
        Assert.Equal([32L, 32, 32, 3], probabilities.Shape);
        Assert.Contains("blend: constant", File.ReadAllText(Path.Combine(run, "resolved.yaml")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
