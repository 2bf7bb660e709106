using System.Text.Json;
using Pipeline.Core.Engine;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Priors.None;
using Pipeline.Tests.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

/// <summary>
/// A small LSA-oriented, anisotropic float32 NIfTI whose intensity is a linear function of the world position, so the
/// thresholded image is a half-space with a known answer on any grid. Orientation to RAS and resampling to 2 mm keep
/// a linear function linear (trilinear interpolation is exact for it), so a prediction taken back to the source grid
/// can differ from the thresholded source only where the intensity is within <see cref="Band"/> of the threshold
/// (nearest-neighbour moves a voxel by at most 1.5 mm per axis, and the gradient has |g|₁ = 1).
/// </summary>
internal static class RampImage
{
    /// <summary>The threshold of the test network.</summary>
    public const double Threshold = 0.5;

    /// <summary>|intensity − threshold| within which a voxel may legitimately flip class after the round trip.</summary>
    public const double Band = 1.5;

    /// <summary>The preprocess list the tests use: orientation to RAS, then 2 mm voxels.</summary>
    public const string PreprocessYaml = """
        - name: orientation
          axcodes: RAS
        - name: spacing
          pixdim: [2.0, 2.0, 2.0]
        """;

    /// <summary>20 × 18 × 12 voxels.</summary>
    public static readonly long[] Shape = [20, 18, 12];

    /// <summary>LSA: i → −x at 1.5 mm, j → +z at 2.5 mm, k → +y at 3 mm.</summary>
    public static readonly AffineMatrix Affine = new([-1.5, 0, 0, 14, 0, 0, 3, -20, 0, 2.5, 0, -10, 0, 0, 0, 1]);

    /// <summary>World gradient of the intensity (per mm of x, y, z).</summary>
    private static readonly double[] Gradient = [0.5, 0.3, -0.2];

    /// <summary>The intensity at voxel (i, j, k) of a grid with <paramref name="affine"/>.</summary>
    public static double Value(AffineMatrix affine, long i, long j, long k)
    {
        var world = affine.Apply(i, j, k);
        return Gradient[0] * world[0] + Gradient[1] * world[1] + Gradient[2] * world[2];
    }

    /// <summary>Every voxel's intensity in (i, j, k) order, i slowest.</summary>
    public static double[] Values(long[]? shape = null, AffineMatrix? affine = null)
    {
        shape ??= Shape;
        affine ??= Affine;
        var values = new double[shape[0] * shape[1] * shape[2]];
        int n = 0;
        for (long i = 0; i < shape[0]; i++)
            for (long j = 0; j < shape[1]; j++)
                for (long k = 0; k < shape[2]; k++)
                    values[n++] = Value(affine, i, j, k);
        return values;
    }

    /// <summary>
    /// Writes the image with a header whose codes differ from the writer's defaults (qform_code 1 scanner, sform_code 4
    /// MNI, a display range and a description), so a writer that ignored the source header would be caught.
    /// </summary>
    public static void Write(string path, long[]? shape = null, AffineMatrix? affine = null)
    {
        shape ??= Shape;
        affine ??= Affine;
        var template = new NiftiHeader
        {
            QFormCode = 1, SFormCode = 4, XyztUnits = 2 | 8, CalMin = -5, CalMax = 5, Description = "linear ramp", SclSlope = 1,
        };
        using var data = tensor(Values(shape, affine).Select(v => (float)v).ToArray(), [1, .. shape]);
        using var volume = new Volume(data.alias(), affine, template);
        NiftiWriter.Write(path, volume);
    }

    /// <summary>
    /// Compares <paramref name="labels"/> (i, j, k order) with the thresholded intensity: returns the voxels that differ
    /// although they are outside the band, and how many voxels lie in the band.
    /// </summary>
    public static (int WrongOutsideBand, int InBand) Compare(IReadOnlyList<long> labels, long[]? shape = null, AffineMatrix? affine = null)
    {
        var values = Values(shape, affine);
        Assert.Equal(values.Length, labels.Count);
        int wrong = 0, band = 0;
        for (int n = 0; n < values.Length; n++)
        {
            if (Math.Abs(values[n] - Threshold) <= Band)
            {
                band++;
                continue;
            }
            if (labels[n] != (values[n] > Threshold ? 1 : 0)) wrong++;
        }
        return (wrong, band);
    }

    /// <summary>A model factory for <see cref="ThresholdBackbone"/> on the CPU, with no prior.</summary>
    public static ModelFactory Factory(Pipeline.Core.Composition.IPluginCatalog catalog) =>
        new(catalog, ThresholdBackbone.Name, new ThresholdBackboneOptions { Threshold = Threshold }, "none", new NoPriorOptions(), CPU);

    /// <summary>Writes a threshold-network checkpoint to <paramref name="path"/>.</summary>
    public static void WriteCheckpoint(Pipeline.Core.Composition.IPluginCatalog catalog, string path)
    {
        var factory = Factory(catalog);
        using var network = factory.Create();
        factory.Save(network, path);
    }
}

/// <summary>What nibabel reads from NIfTI files: shape, dtype, both transforms with their codes, the affine, data.</summary>
internal sealed record NibabelView(long[] Shape, string DataType, int QFormCode, int SFormCode, double[][] QForm, double[][] SForm,
                                   double[][] Affine, double CalMin, double CalMax, double[] Data)
{
    private const string Script = """
        import json, sys
        import numpy as np
        import nibabel as nib
        out = {}
        for key, path in json.load(sys.stdin).items():
            img = nib.load(path)
            h = img.header
            out[key] = dict(shape=list(img.shape), dtype=str(h.get_data_dtype()),
                            qform_code=int(h['qform_code']), sform_code=int(h['sform_code']),
                            qform=h.get_qform().tolist(), sform=h.get_sform().tolist(), affine=img.affine.tolist(),
                            cal_min=float(h['cal_min']), cal_max=float(h['cal_max']),
                            data=np.asarray(img.dataobj, dtype=np.float64).ravel(order='C').tolist())
        print(json.dumps(out))
        """;

    /// <summary>Reads every file of <paramref name="files"/> (name → path) with /usr/bin/python3 and nibabel.</summary>
    public static IReadOnlyDictionary<string, NibabelView> Read(IReadOnlyDictionary<string, string> files)
    {
        var json = PythonReference.Run(Script, files);
        return files.Keys.ToDictionary(key => key, key => From(json.GetProperty(key)));
    }

    private static NibabelView From(JsonElement e) => new(
        e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
        e.GetProperty("dtype").GetString()!,
        e.GetProperty("qform_code").GetInt32(),
        e.GetProperty("sform_code").GetInt32(),
        Matrix(e.GetProperty("qform")),
        Matrix(e.GetProperty("sform")),
        Matrix(e.GetProperty("affine")),
        e.GetProperty("cal_min").GetDouble(),
        e.GetProperty("cal_max").GetDouble(),
        e.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray());

    private static double[][] Matrix(JsonElement rows) =>
        rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>Asserts that <paramref name="output"/> has the geometry of <paramref name="input"/>: spatial shape, both transforms and codes, affine.</summary>
    public static void AssertSameGeometry(NibabelView input, NibabelView output)
    {
        Assert.Equal(input.Shape.Take(3), output.Shape.Take(3));
        Assert.Equal(input.QFormCode, output.QFormCode);
        Assert.Equal(input.SFormCode, output.SFormCode);
        for (int row = 0; row < 4; row++)
        {
            Assert.Equal(input.QForm[row], output.QForm[row]);
            Assert.Equal(input.SForm[row], output.SForm[row]);
            Assert.Equal(input.Affine[row], output.Affine[row]);
        }
    }
}
