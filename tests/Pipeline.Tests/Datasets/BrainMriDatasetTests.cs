using System.Text.Json;
using Pipeline.Core.Data;
using Pipeline.Plugins.Datasets.BrainMri;
using Pipeline.Tests.Data;
using Pipeline.Tests.Imaging;

namespace Pipeline.Tests.Datasets;

/// <summary>The brain-mri plugin reads both real head MRIs like nibabel does (shape, affine, voxel sum, brain voxels).</summary>
public sealed class BrainMriDatasetTests
{
    private const string Oracle = """
        import json, sys, nibabel as nib, numpy as np
        out = {}
        for case, image, brain in zip(sys.argv[1::3], sys.argv[2::3], sys.argv[3::3]):
            img = nib.load(image)
            data = np.asanyarray(img.dataobj).astype(np.float64)
            mask = np.asanyarray(nib.load(brain).dataobj) > 0
            out[case] = {"shape": list(img.shape), "affine": img.affine.tolist(), "sum": float(data.sum()), "brain": int(mask.sum())}
        print(json.dumps(out))
        """;

    [Fact]
    public void BothSubjectsMatchNibabel()
    {
        var provider = new BrainMriDatasetProvider();
        var dataset = provider.Open(new BrainMriDatasetOptions(), new DatasetOpenContext("brains", Path.GetTempPath(), new RecordingLogger()));
        Assert.Equal(["background", "brain"], dataset.ClassNames);
        Assert.Equal(["colin27"], dataset.Splits["train"]);
        Assert.Equal(["itk_head"], dataset.Splits["validation"]);

        var arguments = new List<string> { "-c", Oracle };
        foreach (var subject in BrainMriSubject.All)
            arguments.AddRange([subject.CaseId, DebianPackages.File(subject.Package, subject.ImagePath), DebianPackages.File(subject.Package, subject.BrainPath)]);
        using var reference = JsonDocument.Parse(ExternalTool.Run(ExternalTool.Python, arguments, "python3-nibabel"));

        foreach (var subject in BrainMriSubject.All)
        {
            var expected = reference.RootElement.GetProperty(subject.CaseId);
            using var loaded = dataset.Load(subject.CaseId);
            Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), loaded.Image.shape.Skip(1));
            var affine = expected.GetProperty("affine").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToArray();
            Assert.True(loaded.Affine!.MaxAbsDifference(new Pipeline.Core.Imaging.AffineMatrix(affine)) < 1e-5, $"{subject.CaseId}: affine {loaded.Affine}");
            double sum = expected.GetProperty("sum").GetDouble();
            Assert.Equal(sum, loaded.Image.to_type(TorchSharp.torch.ScalarType.Float64).sum().item<double>(), Math.Max(1e-6, sum * 1e-9));
            Assert.Equal(expected.GetProperty("brain").GetInt64(), loaded.Label!.sum().item<long>());
        }
    }
}
