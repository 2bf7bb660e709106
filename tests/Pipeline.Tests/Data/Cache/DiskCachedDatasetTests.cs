using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Pipeline.Core.Data;
using Pipeline.Core.Data.Cache;
using Pipeline.Core.Imaging;
using Pipeline.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Tests.Data.Cache;

/// <summary>The disk case cache: exact round trips, the float16 bound, invalidation, failed writes and the estimate.</summary>
public sealed class DiskCachedDatasetTests : IDisposable
{
    private static readonly long[] Shape = [5, 6, 7];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private DatasetDefinition Definition(string text = "plugin: test\noptions: {}\n") => new("toy", text, _folder.Path);

    private DiskCachedDataset Cache(ISegmentationDataset inner, CacheImageType type = CacheImageType.Auto, DatasetDefinition? definition = null) =>
        new(inner, definition ?? Definition(), type, NullLogger.Instance);

    private static Tensor Labels(long seed, long classes = 3) => randint(classes, Shape, generator: new Generator((ulong)seed));

    private static void AssertSameCase(SegmentationCase expected, SegmentationCase actual)
    {
        Assert.Equal(ScalarType.Float32, actual.Image.dtype);
        Assert.Equal(ScalarType.Int64, actual.Label!.dtype);
        Assert.Equal(expected.Image.shape, actual.Image.shape);
        Assert.True(expected.Image.eq(actual.Image).all().item<bool>(), "image differs");
        Assert.True(expected.Label!.eq(actual.Label).all().item<bool>(), "label differs");
        Assert.Equal(expected.Spacing, actual.Spacing);
        Assert.Equal(expected.Affine, actual.Affine);
    }

    [Fact]
    public void IntegerImagesAndLabelsRoundTripExactlyAsInt16AndUint8()
    {
        using var scope = NewDisposeScope();
        // CT-like integers over the whole int16 range, including both ends.
        var image = randint(-32768, 32768, [1, .. Shape], generator: new Generator(1)).to_type(ScalarType.Float32);
        image[0, 0, 0, 0] = tensor(-32768f);
        image[0, 0, 0, 1] = tensor(32767f);
        var inner = new CountingDataset(["ct"], id => CountingDataset.Case(id, image.clone(), Labels(2)));
        var cache = Cache(inner);
        var entry = cache.Entry("ct");
        Assert.Equal(("int16", "uint8"), (entry.Image.Dtype, entry.Label!.Dtype));
        Assert.Equal(2 * 210L, entry.Image.Bytes);
        Assert.Equal(210L, entry.Label.Bytes);
        Assert.Equal(420L, new FileInfo(Path.Combine(cache.Folder, "ct.img.bin")).Length);

        using var expected = inner.Load("ct");
        using var loaded = cache.Load("ct");
        AssertSameCase(expected, loaded);
        Assert.Null(entry.Float16MaxAbsError);
    }

    [Fact]
    public void NonIntegerImagesStayFloat32UnderAutoAndLabelsBeyond255UseInt16()
    {
        using var scope = NewDisposeScope();
        var image = randn([1, .. Shape], generator: new Generator(3));
        var label = Labels(4, classes: 300);
        var inner = new CountingDataset(["mr"], id => CountingDataset.Case(id, image.clone(), label.clone()), classes: 300);
        var cache = Cache(inner);
        Assert.Equal(("float32", "int16"), (cache.Entry("mr").Image.Dtype, cache.Entry("mr").Label!.Dtype));
        using var loaded = cache.Load("mr");
        using var expected = inner.Load("mr");
        AssertSameCase(expected, loaded);
    }

    [Fact]
    public void Float16KeepsTheDocumentedBoundAndRecordsTheLargestError()
    {
        using var scope = NewDisposeScope();
        // Normalised intensities plus a few tiny (subnormal in float16) and large values.
        var image = (randn([1, .. Shape], generator: new Generator(5)) * 3).contiguous();
        image[0, 0, 0, 0] = tensor(1e-7f);
        image[0, 0, 0, 1] = tensor(-3e-6f);
        image[0, 0, 0, 2] = tensor(65504f);
        image[0, 0, 0, 3] = tensor(-1234.567f);
        var inner = new CountingDataset(["z"], id => CountingDataset.Case(id, image.clone(), Labels(6)));
        var cache = Cache(inner, CacheImageType.Float16);
        var entry = cache.Entry("z");
        Assert.Equal("float16", entry.Image.Dtype);
        Assert.Equal(2 * 210L, entry.Image.Bytes);

        using var loaded = cache.Load("z");
        var error = (loaded.Image - image).abs();
        // Round to nearest: half an ulp, 2^-11 relative for normal float16 numbers, 2^-25 absolute below 2^-14.
        var bound = image.abs().mul(Math.Pow(2, -11)).clamp_min(Math.Pow(2, -25));
        Assert.True(error.le(bound).all().item<bool>(), $"largest error {error.max().item<float>()}");
        Assert.Equal(error.max().item<float>(), entry.Float16MaxAbsError!.Value, 6);
        Assert.True(entry.Float16MaxAbsError > 0);
        Assert.True(loaded.Label!.eq(inner.Load("z").Label!).all().item<bool>());
    }

    [Fact]
    public void TypesThatCannotHoldTheImageAreRefusedBeforeAnythingIsWritten()
    {
        using var scope = NewDisposeScope();
        var large = full([1, .. Shape], 70000f);
        var fractional = full([1, .. Shape], 0.5f);
        var inner = new CountingDataset(["large", "fractional"], id => CountingDataset.Case(id, (id == "large" ? large : fractional).clone(), Labels(7)));

        var half = Assert.Throws<InvalidDataException>(() => Cache(inner, CacheImageType.Float16).Entry("large"));
        Assert.Contains("case 'large'", half.Message);
        Assert.Contains("65504", half.Message);
        var integer = Assert.Throws<InvalidDataException>(() => Cache(inner, CacheImageType.Int16).Entry("fractional"));
        Assert.Contains("case 'fractional'", integer.Message);
        Assert.Contains("non-integer voxels (e.g. 0.5)", integer.Message);

        var files = Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName);
        Assert.All(files, name => Assert.Equal(DiskCachedDataset.DefinitionFile, name));
    }

    [Fact]
    public void AFailedWriteLeavesNoPartOfTheCaseAndALaterWriteSucceeds()
    {
        using var scope = NewDisposeScope();
        var inner = new CountingDataset(["a"], id => CountingDataset.Case(id, randn([1, .. Shape], generator: new Generator(8)), Labels(9)));
        var cache = Cache(inner);
        // A folder where the label file goes makes its rename fail after the image file was written.
        string blocker = Path.Combine(cache.Folder, "a.lbl.bin");
        Directory.CreateDirectory(blocker);
        File.WriteAllText(Path.Combine(blocker, "keep"), "");

        var error = Assert.Throws<IOException>(() => cache.Entry("a"));
        Assert.Contains("case 'a'", error.Message);
        Assert.Contains(cache.Folder, error.Message);
        Assert.Equal(DiskCachedDataset.DefinitionFile, Path.GetFileName(Assert.Single(Directory.GetFiles(cache.Folder))));

        Directory.Delete(blocker, recursive: true);
        var again = Cache(inner);
        using var loaded = again.Load("a");
        using var expected = inner.Load("a");
        AssertSameCase(expected, loaded);
    }

    [Fact]
    public void ASecondInstanceReusesTheCacheAndDamagedEntriesAreRewritten()
    {
        using var scope = NewDisposeScope();
        var inner = new CountingDataset(["a", "b", "c"], id => CountingDataset.Case(id, randn([1, .. Shape], generator: new Generator((ulong)id[0])), Labels(id[0])));
        var first = Cache(inner);
        var estimate = first.Prepare(["a", "b", "c", "a"]);
        Assert.Equal(3, estimate.Cases);
        Assert.Equal(3, inner.Loads);

        var second = Cache(inner);
        Assert.Equal(first.Folder, second.Folder);
        second.Prepare(["a", "b", "c"]);
        Assert.Equal(3, inner.Loads);
        using (var loaded = second.Load("b"))
        using (var expected = inner.Load("b"))
            AssertSameCase(expected, loaded);
        Assert.Equal(4, inner.Loads);

        // A truncated array file and unreadable metadata are both found and rewritten.
        using (var stream = new FileStream(Path.Combine(first.Folder, "a.img.bin"), FileMode.Open)) stream.SetLength(10);
        File.WriteAllText(Path.Combine(first.Folder, "c.json"), "{ not json");
        Cache(inner).Prepare(["a", "b", "c"]);
        Assert.Equal(6, inner.Loads);
        using (var loaded = Cache(inner).Load("a"))
        using (var expected = inner.Load("a"))
            AssertSameCase(expected, loaded);
    }

    [Fact]
    public void TheDefinitionAndTheImageTypeSelectTheFolder()
    {
        var inner = new CountingDataset(["a"], id => CountingDataset.Case(id, zeros([1, .. Shape]), Labels(1)));
        string folder = Cache(inner).Folder;
        Assert.Equal(folder, Cache(inner).Folder);
        Assert.NotEqual(folder, Cache(inner, definition: Definition("plugin: test\noptions: {seed: 1}\n")).Folder);
        Assert.NotEqual(folder, Cache(inner, CacheImageType.Float16).Folder);
        Assert.Equal("plugin: test\noptions: {}\n", File.ReadAllText(Path.Combine(folder, DiskCachedDataset.DefinitionFile)));
    }

    [Fact]
    public void AChangedSourceFileRewritesOnlyItsCase()
    {
        using var scope = NewDisposeScope();
        var grid = AffineMatrix.FromDiagonal(1, 1, 2);
        var reader = Substitute.For<IVolumeFileReader>();
        var cases = new List<CaseFiles>();
        var values = new Dictionary<string, float> { ["a"] = 1, ["b"] = 2 };
        foreach (var id in values.Keys)
        {
            string image = _folder.File(id + "_img.nii"), label = _folder.File(id + "_seg.nii");
            File.WriteAllBytes(image, [1, 2, 3]);
            File.WriteAllBytes(label, [1, 2, 3]);
            reader.ReadHeader(Arg.Is<string>(p => p == image || p == label)).Returns(new VolumeHeader(Shape, grid, "float32"));
            reader.Read(image).Returns(_ => new Volume(full([1, .. Shape], values[id]), grid));
            reader.Read(label).Returns(_ => new Volume(ones([1, .. Shape]), grid));
            cases.Add(new CaseFiles(id, [image], label));
        }
        var files = new FileSegmentationDataset("toy", cases, new Dictionary<string, IReadOnlyList<string>> { ["train"] = ["a", "b"] },
            LabelScheme.Create(new Dictionary<int, string> { [0] = "background", [1] = "liver" }), 1, reader, new FileDatasetSettings(), NullLogger.Instance);
        Cache(files).Prepare(["a", "b"]);
        reader.ClearReceivedCalls();

        // Same size, new content and write time: only case b is read again, and its new values are served.
        values["b"] = 5;
        string changed = _folder.File("b_img.nii");
        File.WriteAllBytes(changed, [4, 5, 6]);
        File.SetLastWriteTimeUtc(changed, File.GetLastWriteTimeUtc(changed).AddSeconds(3));
        var cache = Cache(files);
        cache.Prepare(["a", "b"]);
        reader.DidNotReceive().Read(_folder.File("a_img.nii"));
        reader.Received(1).Read(changed);
        using var loaded = cache.Load("b");
        Assert.Equal(5f, loaded.Image.max().item<float>());
        Assert.Equal([_folder.File("b_img.nii"), _folder.File("b_seg.nii")], cache.Entry("b").Sources.Select(s => s.Path));

        File.Delete(changed);
        var missing = Assert.Throws<FileNotFoundException>(() => Cache(files).Entry("b"));
        Assert.Contains("case 'b'", missing.Message);
    }

    [Fact]
    public void CaseIdsThatAreNotPlainFileNamesGetDistinctSafeStems()
    {
        Assert.Equal("case_01.v2", DiskCachedDataset.FileStem("case_01.v2"));
        string slashed = DiskCachedDataset.FileStem("site/a"), spaced = DiskCachedDataset.FileStem("site a");
        Assert.StartsWith("site_a-", slashed);
        Assert.StartsWith("site_a-", spaced);
        Assert.NotEqual(slashed, spaced);
        Assert.DoesNotContain('/', DiskCachedDataset.FileStem("../x"));
        Assert.False(DiskCachedDataset.FileStem(".hidden").StartsWith('.'));
    }

    [Fact]
    public void TheEstimateCountsTrainingTensorsInMemoryAndArrayFilesOnDisk()
    {
        CaseCacheEntry Entry(long[] image, string imageType, long imageBytes, long[]? label, long labelBytes) => new()
        {
            Format = CaseCacheEntry.CurrentFormat,
            CaseId = "x",
            Image = new CachedArray("x.img.bin", imageType, image, imageBytes),
            Label = label is null ? null : new CachedArray("x.lbl.bin", "uint8", label, labelBytes),
            Spacing = [1, 1, 1],
            ClassNames = [],
            Sources = [],
            Preprocessing = [],
        };
        var estimate = CaseMemoryEstimate.Of([
            Entry([1, 100, 100, 50], "int16", 1_000_000, [100, 100, 50], 500_000),
            Entry([2, 10, 10, 10], "float32", 8_000, null, 0),
        ]);
        Assert.Equal(2, estimate.Cases);
        Assert.Equal(4 * 500_000 + 8 * 500_000 + 4 * 2_000, estimate.MemoryBytes);
        Assert.Equal(1_508_000, estimate.DiskBytes);
        Assert.Equal("~6.0 MB in memory for 2 cases (float32 images, int64 labels); cache on disk 1.5 MB", estimate.ToString());
        Assert.Equal("1.23 GB", CaseMemoryEstimate.Size(1_234_000_000));
    }
}
