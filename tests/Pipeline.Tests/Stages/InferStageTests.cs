using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Pipeline.Core.Composition;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Core.Stages;
using Pipeline.Core.Transforms;
using Pipeline.Plugins.Datasets.NiftiFolder;
using Pipeline.Tests.Inference;
using static TorchSharp.torch;

namespace Pipeline.Tests.Stages;

/// <summary>
/// The <c>infer</c> stage with the threshold test network: a nifti-folder dataset seen through a preprocess list
/// (orientation to RAS, 2 mm voxels) and a plain folder with a preprocess file (a foreground crop), each case written
/// once on its own grid with its header's geometry; resumed runs keep what was written; cancellation stops between cases.
/// </summary>
public sealed class InferStageTests : IDisposable
{
    private const string DatasetName = "ramps";

    /// <summary>Three images: the LSA anisotropic ramp, an RAS one, and one rotated 10° about z.</summary>
    private static readonly Dictionary<string, (long[] Shape, AffineMatrix Affine)> Cases = new()
    {
        ["lsa"] = (RampImage.Shape, RampImage.Affine),
        ["ras"] = ([14, 16, 10], AffineMatrix.FromDiagonal(2, 1.5, 2.5, -15, -10, -12)),
        ["oblique"] = ([16, 14, 12], Rotated(10, 1.8, 2.2, 2.0)),
    };

    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-infer-").FullName;
    private readonly PluginCatalog _catalog = ThresholdBackbone.Catalog();
    private readonly List<IReadOnlyDictionary<string, object?>> _records = [];
    private readonly Dictionary<string, StageResult> _completed = [];
    private readonly ISegmentationDataset _dataset;

    public InferStageTests()
    {
        foreach (var (id, (shape, affine)) in Cases) RampImage.Write(Path.Combine(_root, "data", "images", id + ".nii.gz"), shape, affine);
        var inner = new NiftiFolderDatasetProvider().Open(new NiftiFolderDatasetOptions { Root = Path.Combine(_root, "data") },
            new DatasetOpenContext(DatasetName, Directory.CreateDirectory(Path.Combine(_root, "cache")).FullName, NullLogger.Instance));
        var preprocess = new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse(RampImage.PreprocessYaml, "preprocess");
        _dataset = new PreprocessedDataset(inner, preprocess, DatasetName);
        RampImage.WriteCheckpoint(_catalog, Checkpoint);
        var training = new StageResult();
        training.Artifacts[TrainStage.BestModelArtifact] = Checkpoint;
        _completed["train"] = training;
    }

    private string Checkpoint => Path.Combine(_root, "threshold.ckpt");

    private string StageDirectory => Path.Combine(_root, "run", "infer");

    [Fact]
    public async Task EveryCaseOfTheSplitIsWrittenOnceOnItsSourceGridWithItsHeader()
    {
        var result = await new InferStage().RunAsync(Context(), new InferOptions
        {
            Model = "train", Dataset = DatasetName, Split = "test", RoiSize = [8, 8, 8], SwBatchSize = 2, WriteProbabilities = true,
        }, CancellationToken.None);

        Assert.False(result.Interrupted);
        Assert.Equal(3, result.Summary["predicted"]);
        string predictions = result.Artifacts["predictions"];
        Assert.Equal(Cases.Keys.Order().Select(id => id + ".nii.gz"), Directory.GetFiles(predictions).Select(Path.GetFileName).Order());
        Assert.Equal(3, Directory.GetFiles(result.Artifacts["probabilities"]).Length);
        Assert.Equal(Cases.Keys.Order(), _records.Select(r => (string)r["case"]!).Order());
        foreach (var (id, (shape, affine)) in Cases)
        {
            var source = NiftiReader.ReadHeader(Path.Combine(_root, "data", "images", id + ".nii.gz"));
            using var labels = NiftiReader.Read(Path.Combine(predictions, id + ".nii.gz"));
            AssertSameGeometry(source, labels.Header, id);
            Assert.Equal(NiftiDataType.UInt8.Code, labels.Header.DataTypeCode);
            var (wrong, band) = RampImage.Compare(labels.Data.to_type(ScalarType.Int64).flatten().data<long>().ToArray(), shape, affine);
            Assert.True(wrong == 0, $"case {id}: {wrong} voxels outside the band differ from the thresholded image ({band} in the band)");

            using var probabilities = NiftiReader.Read(Path.Combine(result.Artifacts["probabilities"], id + ".nii.gz"));
            AssertSameGeometry(source, probabilities.Header, id);
            Assert.Equal([.. shape, 2], probabilities.Shape);
            var sums = probabilities.Data.sum(3);
            Assert.True(sums.sub(1).abs().max().item<float>() < 1e-5, $"case {id}: probabilities do not sum to 1");
        }
        using var list = JsonDocument.Parse(File.ReadAllText(result.Artifacts["predictions_json"]));
        Assert.True(list.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal(Checkpoint, list.RootElement.GetProperty("checkpoint").GetString());
    }

    [Fact]
    public async Task AResumedRunKeepsTheWrittenCasesAndPredictsTheRest()
    {
        var options = new InferOptions { CheckpointFile = Checkpoint, Dataset = DatasetName, Split = "test", RoiSize = [16, 16, 16] };
        var first = await new InferStage().RunAsync(Context(), options, CancellationToken.None);
        string folder = first.Artifacts["predictions"];
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in Directory.GetFiles(folder)) File.SetLastWriteTimeUtc(file, old);
        File.Delete(Path.Combine(folder, "ras.nii.gz"));
        _records.Clear();

        var resumed = await new InferStage().RunAsync(Context(resume: true), options, CancellationToken.None);

        Assert.Equal(1, resumed.Summary["predicted"]);
        Assert.Equal(2, resumed.Summary["kept"]);
        Assert.Equal(old, File.GetLastWriteTimeUtc(Path.Combine(folder, "lsa.nii.gz")));
        Assert.NotEqual(old, File.GetLastWriteTimeUtc(Path.Combine(folder, "ras.nii.gz")));
        Assert.Equal(3, _records.Count);
        Assert.Single(_records, r => r.ContainsKey("seconds"));
    }

    [Fact]
    public async Task CancellationStopsBetweenCasesWithoutPartialFiles()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var result = await new InferStage().RunAsync(Context(), new InferOptions
        {
            CheckpointFile = Checkpoint, Dataset = DatasetName, Split = "test", RoiSize = [8, 8, 8],
        }, stop.Token);

        Assert.True(result.Interrupted);
        Assert.Empty(Directory.GetFiles(result.Artifacts["predictions"]));
        using var list = JsonDocument.Parse(File.ReadAllText(result.Artifacts["predictions_json"]));
        Assert.False(list.RootElement.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task AFolderWithAPreprocessFileIsPredictedAndCroppedVoxelsComeBackAsBackground()
    {
        // A bright block in an LSA image; the crop keeps the block and one voxel around it.
        long[] shape = [16, 14, 10];
        string folder = Directory.CreateDirectory(Path.Combine(_root, "new-images")).FullName;
        var image = zeros(1, shape[0], shape[1], shape[2]);
        image[.., 4..10, 5..10, 3..7] = tensor(3f);
        using (var volume = new Volume(image.alias(), RampImage.Affine)) NiftiWriter.Write(Path.Combine(folder, "block.nii.gz"), volume);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");
        string preprocessFile = Path.Combine(_root, "crop.yaml");
        File.WriteAllText(preprocessFile, "- name: orientation\n- name: crop_foreground\n  margin: 1\n");

        var result = await new InferStage().RunAsync(Context(), new InferOptions
        {
            CheckpointFile = Checkpoint, InputFolder = folder, PreprocessFile = preprocessFile, RoiSize = [8, 8, 8], WriteProbabilities = true,
        }, CancellationToken.None);

        Assert.Equal(1, result.Summary["predicted"]);
        using var labels = NiftiReader.Read(Path.Combine(result.Artifacts["predictions"], "block.nii.gz"));
        using var probabilities = NiftiReader.Read(Path.Combine(result.Artifacts["probabilities"], "block.nii.gz"));
        Assert.Equal(shape, labels.Shape);
        Assert.Equal(RampImage.Affine, labels.Affine);
        Assert.True(labels.Data.to_type(ScalarType.Int64).eq(image[0].gt(0.5).to_type(ScalarType.Int64)).all().item<bool>(), "labels differ from the thresholded block");

        var background = probabilities.Data.select(3, 0);
        var crop = zeros(shape[0], shape[1], shape[2], dtype: ScalarType.Bool);
        crop[3..11, 4..11, 2..8] = tensor(true);
        var block = image[0].gt(0);
        var expected = where(block, tensor(Sigmoid(-2.5f)), where(crop, tensor(Sigmoid(0.5f)), tensor(1f)));
        Assert.True(background.sub(expected).abs().max().item<float>() < 1e-5,
            "class 0 probability: σ(−2.5) in the block, σ(0.5) elsewhere in the crop, 1 outside it");
        Assert.True(probabilities.Data.sum(3).sub(1).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void OptionsNameWhatIsMissingOrContradictory()
    {
        var problems = new InferOptions { Model = "train", CheckpointFile = Checkpoint, RoiSize = [8, 8], Overlap = 1 }.Validate().ToList();
        Assert.Contains(problems, p => p.Key == "model" && p.Message.Contains("exactly one"));
        Assert.Contains(problems, p => p.Key == "dataset" && p.Message.Contains("input_folder"));
        Assert.Contains(problems, p => p.Key == "roi_size");
        Assert.Contains(problems, p => p.Key == "overlap");
        var preprocessWithDataset = new InferOptions { Model = "train", Dataset = DatasetName, PreprocessFile = "x.yaml" }.Validate().ToList();
        Assert.Equal("preprocess_file", Assert.Single(preprocessWithDataset).Key);
    }

    private static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    private static void AssertSameGeometry(NiftiHeader source, NiftiHeader written, string id)
    {
        Assert.True(source.Shape.Take(3).SequenceEqual(written.Shape.Take(3)), $"case {id}: shape");
        Assert.Equal((source.QFormCode, source.SFormCode), (written.QFormCode, written.SFormCode));
        Assert.Equal((source.QuaternB, source.QuaternC, source.QuaternD), (written.QuaternB, written.QuaternC, written.QuaternD));
        Assert.Equal((source.QOffsetX, source.QOffsetY, source.QOffsetZ), (written.QOffsetX, written.QOffsetY, written.QOffsetZ));
        Assert.Equal(source.PixDim.Take(4), written.PixDim.Take(4));
        Assert.Equal([.. source.SRowX, .. source.SRowY, .. source.SRowZ], [.. written.SRowX, .. written.SRowY, .. written.SRowZ]);
    }

    /// <summary>Voxel sizes (si, sj, sk) with the i and j axes rotated by <paramref name="degrees"/> about z.</summary>
    private static AffineMatrix Rotated(double degrees, double si, double sj, double sk)
    {
        double c = Math.Cos(degrees * Math.PI / 180), s = Math.Sin(degrees * Math.PI / 180);
        return new AffineMatrix([si * c, -sj * s, 0, -12, si * s, sj * c, 0, -14, 0, 0, sk, -10, 0, 0, 0, 1]);
    }

    private StageContext Context(bool resume = false)
    {
        var datasets = Substitute.For<IDatasetCatalog>();
        datasets.Names.Returns([DatasetName]);
        datasets.Get(DatasetName).Returns(_dataset);
        var metrics = Substitute.For<IMetricsSink>();
        metrics.When(m => m.Write(Arg.Any<IReadOnlyDictionary<string, object?>>()))
               .Do(call => _records.Add(call.Arg<IReadOnlyDictionary<string, object?>>()));
        return new StageContext
        {
            StageName = "infer",
            StageDirectory = Directory.CreateDirectory(StageDirectory).FullName,
            RunDirectory = Path.Combine(_root, "run"),
            CheckpointDirectory = Directory.CreateDirectory(Path.Combine(_root, "run", "checkpoints")).FullName,
            Resume = resume,
            Seed = 1,
            Device = CPU,
            Models = RampImage.Factory(_catalog),
            Datasets = datasets,
            CompletedStages = _completed,
            Metrics = metrics,
            Progress = Substitute.For<IProgressSink>(),
            Logger = NullLogger.Instance,
        };
    }

    public void Dispose()
    {
        _catalog.Dispose();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
