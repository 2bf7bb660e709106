using System.Text.Json.Nodes;
using Pipeline.Plugins.Datasets.Amos;
using Pipeline.Plugins.Datasets.Files;
using Pipeline.Plugins.Datasets.Flare;
using Pipeline.Plugins.Datasets.Kits;
using Pipeline.Plugins.Datasets.Lits;
using Pipeline.Plugins.Datasets.Msd;
using Pipeline.Plugins.Datasets.NiftiFolder;
using Pipeline.Plugins.Datasets.NnUnet;
using Pipeline.Plugins.Datasets.TciaPancreas;
using Pipeline.Core.Plugins;

namespace Pipeline.Tests.Datasets;

/// <summary>
/// Writes a small folder exactly like one published dataset layout (file names, folders, index JSON), for the
/// layout's plugin to read. Case n of the fixture gets the layout's own naming.
/// </summary>
public abstract class DatasetLayout
{
    /// <summary>The plugin's name.</summary>
    public abstract string Plugin { get; }

    /// <summary>The plugin.</summary>
    public abstract IDatasetProvider Provider { get; }

    /// <summary>The class names the plugin should report.</summary>
    public abstract IReadOnlyList<string> ExpectedClasses { get; }

    /// <summary>Whether a missing label file makes the case unlabelled (a test case) rather than invalid.</summary>
    public virtual bool MissingLabelMeansTestCase => false;

    /// <summary>The dataset's case id of fixture case n.</summary>
    public abstract string CaseId(int n);

    /// <summary>The dataset's case id of unlabelled (test) case n.</summary>
    public abstract string TestCaseId(int n);

    /// <summary>Writes labelled cases (index = n) and unlabelled test cases into <paramref name="root"/>.</summary>
    public abstract void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases);

    /// <summary>Fresh options for <paramref name="root"/>.</summary>
    public abstract FileDatasetOptions Options(string root);

    /// <summary>The largest declared label value.</summary>
    public int MaxDeclaredLabel => ExpectedClasses.Count - 1;

    /// <inheritdoc />
    public override string ToString() => Plugin;

    /// <summary>Every layout, for theories.</summary>
    public static IEnumerable<DatasetLayout> All { get; } =
        [new MsdLayout(), new NnUnetLayout(), new FlareLayout(), new AmosLayout(), new KitsLayout(), new LitsLayout(), new TciaPancreasLayout(), new NiftiFolderLayout()];

    /// <summary>Writes <paramref name="json"/> indented to <paramref name="path"/>.</summary>
    protected static void WriteJson(string path, JsonNode json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A JSON list of strings.</summary>
    protected static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)!).ToArray());

    /// <summary>An image/label entry of a datalist.</summary>
    protected static JsonObject Pair(string image, string label) => new() { ["image"] = image, ["label"] = label };
}

internal sealed class MsdLayout : DatasetLayout
{
    public override string Plugin => "msd";
    public override IDatasetProvider Provider => new MsdDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "spleen"];
    public override string CaseId(int n) => $"spleen_{n}";
    public override string TestCaseId(int n) => $"spleen_{100 + n}";
    public override FileDatasetOptions Options(string root) => new MsdDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "imagesTr", CaseId(n) + ".nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "labelsTr", CaseId(n) + ".nii.gz"), cases[n]);
        }
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "imagesTs", TestCaseId(n) + ".nii.gz"), new FixtureCase("t"));
        WriteJson(Path.Combine(root, "dataset.json"), new JsonObject
        {
            ["name"] = "Spleen",
            ["tensorImageSize"] = "3D",
            ["modality"] = new JsonObject { ["0"] = "CT" },
            ["labels"] = new JsonObject { ["0"] = "background", ["1"] = "spleen" },
            ["numTraining"] = cases.Count,
            ["numTest"] = testCases,
            ["training"] = new JsonArray(Enumerable.Range(0, cases.Count).Select(n => (JsonNode)Pair($"./imagesTr/{CaseId(n)}.nii.gz", $"./labelsTr/{CaseId(n)}.nii.gz")).ToArray()),
            ["test"] = Strings(Enumerable.Range(0, testCases).Select(n => $"./imagesTs/{TestCaseId(n)}.nii.gz")),
        });
    }
}

internal sealed class NnUnetLayout : DatasetLayout
{
    public override string Plugin => "nnunet";
    public override IDatasetProvider Provider => new NnUnetDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "liver", "tumor"];
    public override string CaseId(int n) => $"liver_{n:000}";
    public override string TestCaseId(int n) => $"liver_{100 + n:000}";
    public override FileDatasetOptions Options(string root) => new NnUnetDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "imagesTr", CaseId(n) + "_0000.nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "labelsTr", CaseId(n) + ".nii.gz"), cases[n]);
        }
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "imagesTs", TestCaseId(n) + "_0000.nii.gz"), new FixtureCase("t"));
        WriteJson(Path.Combine(root, "dataset.json"), new JsonObject
        {
            ["channel_names"] = new JsonObject { ["0"] = "CT" },
            ["labels"] = new JsonObject { ["background"] = 0, ["liver"] = 1, ["tumor"] = 2 },
            ["numTraining"] = cases.Count,
            ["file_ending"] = ".nii.gz",
        });
    }
}

internal sealed class FlareLayout : DatasetLayout
{
    public override string Plugin => "flare";
    public override IDatasetProvider Provider => new FlareDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "liver", "kidney", "spleen", "pancreas"];
    public override string CaseId(int n) => $"train_{n:000}";
    public override string TestCaseId(int n) => $"validation_{n + 1:000}";
    public override FileDatasetOptions Options(string root) => new FlareDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "TrainingImg", CaseId(n) + "_0000.nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "TrainingMask", CaseId(n) + ".nii.gz"), cases[n]);
        }
        Directory.CreateDirectory(Path.Combine(root, "TrainingMask"));
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "ValidationImg", TestCaseId(n) + "_0000.nii.gz"), new FixtureCase("t"));
    }
}

internal sealed class AmosLayout : DatasetLayout
{
    private static readonly string[] Organs =
        ["background", "spleen", "right kidney", "left kidney", "gall bladder", "esophagus", "liver", "stomach", "arota", "postcava",
         "pancreas", "right adrenal gland", "left adrenal gland", "duodenum", "bladder", "prostate/uterus"];

    public override string Plugin => "amos";
    public override IDatasetProvider Provider => new AmosDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses =>
        ["background", "spleen", "kidney_right", "kidney_left", "gallbladder", "esophagus", "liver", "stomach", "aorta", "inferior_vena_cava",
         "pancreas", "adrenal_gland_right", "adrenal_gland_left", "duodenum", "bladder", "prostate_uterus"];
    public override string CaseId(int n) => $"amos_{n + 1:0000}";
    public override string TestCaseId(int n) => $"amos_{400 + n:0000}";
    public override FileDatasetOptions Options(string root) => new AmosDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "imagesTr", CaseId(n) + ".nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "labelsTr", CaseId(n) + ".nii.gz"), cases[n]);
        }
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "imagesTs", TestCaseId(n) + ".nii.gz"), new FixtureCase("t"));
        var labels = new JsonObject();
        for (int v = 0; v < Organs.Length; v++) labels[v.ToString()] = Organs[v];
        WriteJson(Path.Combine(root, "dataset.json"), new JsonObject
        {
            ["name"] = "AMOS",
            ["labels"] = labels,
            ["modality"] = new JsonObject { ["0"] = "CT" },
            ["training"] = new JsonArray(Enumerable.Range(0, cases.Count).Select(n => (JsonNode)Pair($"./imagesTr/{CaseId(n)}.nii.gz", $"./labelsTr/{CaseId(n)}.nii.gz")).ToArray()),
            ["validation"] = new JsonArray(),
            ["test"] = new JsonArray(Enumerable.Range(0, testCases).Select(n => (JsonNode)new JsonObject { ["image"] = $"./imagesTs/{TestCaseId(n)}.nii.gz" }).ToArray()),
        });
    }
}

internal sealed class KitsLayout : DatasetLayout
{
    public override string Plugin => "kits";
    public override IDatasetProvider Provider => new KitsDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "kidney", "kidney_tumor", "kidney_cyst"];
    public override bool MissingLabelMeansTestCase => true;
    public override string CaseId(int n) => $"case_{n:00000}";
    public override string TestCaseId(int n) => $"case_{210 + n:00000}";
    public override FileDatasetOptions Options(string root) => new KitsDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "data", CaseId(n), "imaging.nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "data", CaseId(n), "segmentation.nii.gz"), cases[n]);
        }
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "data", TestCaseId(n), "imaging.nii.gz"), new FixtureCase("t"));
    }
}

internal sealed class LitsLayout : DatasetLayout
{
    public override string Plugin => "lits";
    public override IDatasetProvider Provider => new LitsDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "liver", "liver_tumor"];
    public override string CaseId(int n) => $"lits_{n}";
    public override string TestCaseId(int n) => $"lits_test_{n}";
    public override FileDatasetOptions Options(string root) => new LitsDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            string batch = Path.Combine(root, n % 2 == 0 ? "Training Batch 1" : "Training Batch 2");
            FixtureVolumes.WriteImage(Path.Combine(batch, $"volume-{n}.nii"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(batch, $"segmentation-{n}.nii"), cases[n]);
        }
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "Test", $"test-volume-{n}.nii"), new FixtureCase("t"));
    }
}

internal sealed class TciaPancreasLayout : DatasetLayout
{
    public override string Plugin => "tcia-pancreas";
    public override IDatasetProvider Provider => new TciaPancreasDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "pancreas"];
    public override string CaseId(int n) => $"pancreas_{n + 1:0000}";
    public override string TestCaseId(int n) => throw new NotSupportedException("NIH Pancreas-CT has no unlabelled test cases");
    public override FileDatasetOptions Options(string root) => new TciaPancreasDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "Pancreas-CT-nifti", $"PANCREAS_{n + 1:0000}.nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "TCIA_pancreas_labels-02-05-2017", $"label{n + 1:0000}.nii.gz"), cases[n]);
        }
    }
}

internal sealed class NiftiFolderLayout : DatasetLayout
{
    public override string Plugin => "nifti-folder";
    public override IDatasetProvider Provider => new NiftiFolderDatasetProvider();
    public override IReadOnlyList<string> ExpectedClasses => ["background", "foreground"];
    public override bool MissingLabelMeansTestCase => true;
    public override string CaseId(int n) => $"subject{n:00}";
    public override string TestCaseId(int n) => $"unlabelled{n:00}";
    public override FileDatasetOptions Options(string root) => new NiftiFolderDatasetOptions { Root = root };

    public override void Write(string root, IReadOnlyList<FixtureCase> cases, int testCases)
    {
        for (int n = 0; n < cases.Count; n++)
        {
            FixtureVolumes.WriteImage(Path.Combine(root, "images", CaseId(n) + ".nii.gz"), cases[n]);
            FixtureVolumes.WriteLabel(Path.Combine(root, "labels", CaseId(n) + ".nii.gz"), cases[n]);
        }
        for (int n = 0; n < testCases; n++) FixtureVolumes.WriteImage(Path.Combine(root, "images", TestCaseId(n) + ".nii.gz"), new FixtureCase("t"));
    }
}
