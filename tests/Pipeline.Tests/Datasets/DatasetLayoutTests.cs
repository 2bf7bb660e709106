using Pipeline.Core.Data;
using Pipeline.Plugins.Datasets.Files;
using Pipeline.Plugins.Datasets.Flare;
using Pipeline.Plugins.Datasets.Kits;
using Pipeline.Plugins.Datasets.Msd;
using Pipeline.Tests.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Datasets;

/// <summary>Every dataset plugin reads a small folder laid out like its published dataset, and rejects broken cases by name.</summary>
public sealed class DatasetLayoutTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("layouts-").FullName;
    private readonly RecordingLogger _logger = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Layouts => new(DatasetLayout.All.Select(l => l.Plugin));

    public static TheoryData<string, int> LayoutsAndBreakages
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var layout in DatasetLayout.All)
                for (int breakage = 0; breakage < FixtureCase.Broken("x", 1).Count(); breakage++)
                    data.Add(layout.Plugin, breakage);
            return data;
        }
    }

    private static DatasetLayout Layout(string plugin) => DatasetLayout.All.Single(l => l.Plugin == plugin);

    private DatasetOpenContext Context() => new("fixture", Path.Combine(_folder, "cache"), _logger, Path.Combine(_folder, "run"));

    private static List<FixtureCase> ValidCases(DatasetLayout layout, int count) =>
        Enumerable.Range(0, count).Select(n => new FixtureCase($"c{n}") { MaxLabel = layout.MaxDeclaredLabel }).ToList();

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ReadsItsPublishedLayout(string plugin)
    {
        var layout = Layout(plugin);
        int tests = layout is TciaPancreasLayout ? 0 : 1;
        layout.Write(_folder, ValidCases(layout, 4), tests);
        var options = layout.Options(_folder);
        Assert.Empty(options.Validate());

        var dataset = layout.Provider.Open(options, Context());

        Assert.Equal(layout.ExpectedClasses, dataset.ClassNames);
        Assert.Equal(Enumerable.Range(0, 4).Select(layout.CaseId).Order(StringComparer.Ordinal), dataset.Splits["all"]);
        Assert.Equal(dataset.Splits["all"], dataset.Splits["train"]);
        if (tests > 0) Assert.Equal([layout.TestCaseId(0)], dataset.Splits["test"]);
        using var loaded = dataset.Load(layout.CaseId(2));
        Assert.Equal([1L, 6, 5, 4], loaded.Image.shape);
        Assert.Equal([6L, 5, 4], loaded.Label!.shape);
        Assert.Equal(layout.MaxDeclaredLabel, loaded.Label.max().item<long>());
        Assert.True(loaded.Affine!.ApproximatelyEquals(new FixtureCase("c").Affine, 1e-5));
        Assert.Equal(-100f, loaded.Image.min().item<float>());
    }

    [Theory]
    [MemberData(nameof(LayoutsAndBreakages))]
    public void RejectsABrokenCaseNamingIt(string plugin, int breakageIndex)
    {
        var layout = Layout(plugin);
        var (breakage, broken, needsFull) = FixtureCase.Broken("broken", layout.MaxDeclaredLabel).ElementAt(breakageIndex);
        var cases = ValidCases(layout, 3);
        cases.Add(broken);
        layout.Write(_folder, cases, 0);
        var options = layout.Options(_folder);
        if (needsFull) options.Verification = DatasetVerification.Full;

        if (breakage == "missing label" && layout.MissingLabelMeansTestCase)
        {
            var dataset = layout.Provider.Open(options, Context());
            Assert.Equal([layout.CaseId(3)], dataset.Splits["test"]);
            Assert.DoesNotContain(layout.CaseId(3), dataset.Splits["all"]);
            return;
        }
        var error = Assert.Throws<InvalidDatasetException>(() => layout.Provider.Open(options, Context()));
        Assert.Contains($"case '{layout.CaseId(3)}'", error.Message);
        Assert.DoesNotContain($"case '{layout.CaseId(0)}'", error.Message);
        Assert.Single(error.Problems.Select(p => p.CaseId).Distinct());
    }

    [Fact]
    public void SkipPolicyDropsTheBrokenCaseWithAWarning()
    {
        var layout = new MsdLayout();
        var cases = ValidCases(layout, 3);
        cases.Add(new FixtureCase("x") { LabelShape = [2, 2, 2] });
        layout.Write(_folder, cases, 0);
        var options = layout.Options(_folder);
        options.OnInvalidCase = InvalidCasePolicy.Skip;
        var dataset = layout.Provider.Open(options, Context());
        Assert.Equal(3, dataset.Splits["train"].Count);
        Assert.DoesNotContain("spleen_3", dataset.Splits["all"]);
        Assert.Contains(_logger.Entries, e => e.Message.Contains("case 'spleen_3'") && e.Message.Contains("label shape"));
    }

    [Fact]
    public void AMissingRootIsNamedByTheOptionsAndByOpen()
    {
        string missing = Path.Combine(_folder, "no-such-dataset");
        var options = new MsdDatasetOptions { Root = missing };
        var problem = Assert.Single(options.Validate());
        Assert.Equal("root", problem.Key);
        Assert.Contains(missing, problem.Message);
        var error = Assert.Throws<InvalidDatasetException>(() => new MsdDatasetProvider().Open(options, Context()));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void DatasetJsonErrorsNameTheFileAndField()
    {
        var layout = new MsdLayout();
        layout.Write(_folder, ValidCases(layout, 2), 0);
        string json = Path.Combine(_folder, "dataset.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"label\": \"./labelsTr/spleen_1.nii.gz\"", "\"label\": 5"));
        var error = Assert.Throws<InvalidDatasetException>(() => layout.Provider.Open(layout.Options(_folder), Context()));
        Assert.Contains(json, error.Message);
        Assert.Contains("training[1].label", error.Message);
    }

    [Fact]
    public void FoldsAreGeneratedAndRecordedInTheRunFolder()
    {
        var layout = new MsdLayout();
        layout.Write(_folder, ValidCases(layout, 5), 0);
        var options = layout.Options(_folder);
        options.Folds = 2;
        options.Fold = 1;
        var dataset = layout.Provider.Open(options, Context());
        string splitsFile = SplitPlanner.SplitsPath(Path.Combine(_folder, "run"), "fixture");
        var folds = CrossValidationSplit.Load(splitsFile);
        Assert.Equal(2, folds.Count);
        Assert.Equal(folds[1].Validation, dataset.Splits["validation"]);
        Assert.Equal(folds[1].Train, dataset.Splits["train"]);
        Assert.Equal(5, dataset.Splits["train"].Count + dataset.Splits["validation"].Count);

        // The recorded file can be handed back as splits_file and gives the same split.
        var again = layout.Options(_folder);
        again.SplitsFile = splitsFile;
        again.Fold = 1;
        Assert.Equal(folds[1].Validation, layout.Provider.Open(again, Context()).Splits["validation"]);
    }

    [Fact]
    public void KitsCanMergeTumourAndCystIntoKidney()
    {
        var layout = new KitsLayout();
        layout.Write(_folder, ValidCases(layout, 2), 0);
        var options = (KitsDatasetOptions)layout.Options(_folder);
        options.MergeIntoKidney = true;
        var dataset = layout.Provider.Open(options, Context());
        Assert.Equal(["background", "kidney"], dataset.ClassNames);
        using var loaded = dataset.Load("case_00000");
        Assert.Equal(1L, loaded.Label!.max().item<long>());
    }

    [Fact]
    public void FlareReadsTheReleasedDatalistWithTheRepuxnetLabelOrder()
    {
        var layout = new FlareLayout();
        layout.Write(_folder, ValidCases(layout, 3), 0);
        File.WriteAllText(Path.Combine(_folder, "dataset_FLARE.json"), """
            {"training": [{"image": "TrainingImg/train_000_0000.nii.gz", "label": "TrainingMask/train_000.nii.gz"},
                          {"image": "TrainingImg/train_001_0000.nii.gz", "label": "TrainingMask/train_001.nii.gz"}],
             "validation": [{"image": "TrainingImg/train_002_0000.nii.gz", "label": "TrainingMask/train_002.nii.gz"}]}
            """);
        var options = new FlareDatasetOptions { Root = _folder, Datalist = "dataset_FLARE.json", LabelOrder = FlareLabelOrder.Repuxnet };
        var dataset = new FlareDatasetProvider().Open(options, Context());
        Assert.Equal(["background", "spleen", "kidney", "liver", "pancreas"], dataset.ClassNames);
        Assert.Equal(["train_000", "train_001"], dataset.Splits["train"]);
        Assert.Equal(["train_002"], dataset.Splits["validation"]);
    }
}
