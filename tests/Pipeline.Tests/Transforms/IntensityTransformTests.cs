using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;
using Pipeline.Tests.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Tests.Transforms;

public class IntensityTransformTests
{
    /// <summary>A sample whose image holds <paramref name="values"/> (channels × n, along i) and whose label is all 1.</summary>
    private static TransformSample Sample(float[][] values)
    {
        using var scope = NewDisposeScope();
        var image = stack(values.Select(channel => tensor(channel)).ToArray()).reshape(values.Length, values[0].Length, 1, 1).DetachFromDisposeScope();
        var label = ones([1, values[0].Length, 1, 1], ScalarType.Int64).DetachFromDisposeScope();
        return new TransformSample("values")
            .Add("image", new Volume(image, AffineMatrix.Identity), VolumeRole.Image)
            .Add("label", new Volume(label, AffineMatrix.Identity), VolumeRole.Label);
    }

    private static double[] Transformed(string name, Dictionary<string, object?> options, params float[][] values)
    {
        using var result = Assert.Single(TransformSamples.One(name, options).Apply(Sample(values), 0));
        Assert.Equal(new[] { 1.0 }, TestVolumes.Values(result["label"]).Distinct());
        Assert.Equal(ScalarType.Float32, result["image"].Data.dtype);
        return TestVolumes.Values(result["image"]);
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var index = 0; index < expected.Count; index++)
            Assert.True(Math.Abs(expected[index] - actual[index]) <= tolerance * Math.Max(1, Math.Abs(expected[index])),
                $"value {index}: expected {expected[index]}, got {actual[index]}");
    }

    [Fact]
    public void CtWindowMapsTheWindowLinearlyAndClips()
    {
        float[] hounsfield = [-1000, -125, 75, 275, 1000];
        AssertClose([0, 0, 0.5, 1, 1], Transformed("ct_window", new(), hounsfield));
        AssertClose([-2.1875, 0, 0.5, 1, 2.8125], Transformed("ct_window", new() { ["clip"] = false }, hounsfield));
        AssertClose([-1, -1, 0, 1, 1],
            Transformed("ct_window", new() { ["a_min"] = -125.0, ["a_max"] = 275.0, ["b_min"] = -1.0, ["b_max"] = 1.0, ["clip"] = true }, hounsfield));
    }

    [Fact]
    public void ZScoreUsesThePopulationStandardDeviation()
    {
        var std = Math.Sqrt(1.25);
        AssertClose([-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std], Transformed("z_score", new(), [1, 2, 3, 4]));
        AssertClose([0, 0, -1, 1], Transformed("z_score", new() { ["nonzero"] = true }, [0, 0, 2, 4]));
        AssertClose([0, 0, 0], Transformed("z_score", new(), [5, 5, 5]));
        AssertClose([-1, 1, -1, 1], Transformed("z_score", new() { ["channel_wise"] = true }, [1, 3], [10, 30]));
        // Over both channels: mean 11, population std sqrt(((10² + 8² + 1² + 19²) / 4)) = sqrt(131.5).
        var all = Math.Sqrt(131.5);
        AssertClose([-10 / all, -8 / all, -1 / all, 19 / all], Transformed("z_score", new(), [1, 3], [10, 30]));
    }

    [Fact]
    public void PercentilesFollowNumpyByHand()
    {
        // np.percentile(range(10), [25, 50]) == [2.25, 4.5]
        var values = Enumerable.Range(0, 10).Select(value => (float)value).ToArray();
        var expected = values.Select(value => (value - 2.25) / (4.5 - 2.25)).ToArray();
        AssertClose(expected, Transformed("percentile_scale", new() { ["lower"] = 25.0, ["upper"] = 50.0 }, values));
        AssertClose(expected.Select(value => Math.Clamp(value, 0, 1)).ToArray(),
            Transformed("percentile_scale", new() { ["lower"] = 25.0, ["upper"] = 50.0, ["clip"] = true }, values));
    }

    [Fact]
    public void PercentilesMatchNumpy()
    {
        var random = new TransformRandom(3);
        var values = Enumerable.Range(0, 257).Select(_ => (float)Math.Round(random.Uniform(-300, 900), 1)).ToArray();
        values[10] = values[20] = values[30]; // ties
        (double Lower, double Upper)[] cases = [(0.5, 99.5), (2.5, 97.3), (0.0, 100.0), (33.3, 66.6)];
        const string script = """
            import json, sys
            import numpy as np
            query = json.load(sys.stdin)
            x = np.array(query["values"], dtype=np.float32).astype(np.float64)
            print(json.dumps([np.percentile(x, [low, high]).tolist() for low, high in query["cases"]]))
            """;
        var reference = PythonReference.Run(script, new { values, cases = cases.Select(pair => new[] { pair.Lower, pair.Upper }) });
        for (var index = 0; index < cases.Length; index++)
        {
            var low = reference[index][0].GetDouble();
            var high = reference[index][1].GetDouble();
            var expected = values.Select(value => (value - low) / (high - low) * 2 - 1).ToArray();
            AssertClose(expected,
                Transformed("percentile_scale", new() { ["lower"] = cases[index].Lower, ["upper"] = cases[index].Upper, ["b_min"] = -1.0 }, values), 1e-5);
        }
    }

    [Fact]
    public void KeysChooseTheVolumesAndAnUnknownKeyIsNamed()
    {
        using var result = Assert.Single(TransformSamples.One("rand_shift_intensity", new() { ["prob"] = 1.0, ["keys"] = new[] { "label" } })
            .Apply(Sample([[1, 2]]), 0));
        Assert.Equal(new[] { 1.0, 2.0 }, TestVolumes.Values(result["image"]));
        Assert.NotEqual(new[] { 1.0 }, TestVolumes.Values(result["label"]).Distinct());

        var error = Assert.Throws<KeyNotFoundException>(() => TransformSamples.One("ct_window", new() { ["keys"] = new[] { "ct" } }).Apply(Sample([[1, 2]]), 0));
        Assert.Contains("transform 'ct_window'", error.Message);
        Assert.Contains("'ct'", error.Message);
    }

    [Fact]
    public void RandomIntensityTransformsChangeValuesAsDocumented()
    {
        var shifted = Transformed("rand_shift_intensity", new() { ["prob"] = 1.0, ["offsets"] = 2.0 }, [10, 20]);
        Assert.Equal(shifted[0] - 10, shifted[1] - 20, 4);
        Assert.InRange(shifted[0] - 10, -2, 2);

        var scaled = Transformed("rand_scale_intensity", new() { ["prob"] = 1.0, ["factors"] = 0.5 }, [10, 20]);
        Assert.Equal(scaled[0] / 10, scaled[1] / 20, 4);
        Assert.InRange(scaled[0] / 10, 0.5, 1.5);

        Assert.Equal(new[] { 10.0, 20 }, Transformed("rand_gaussian_noise", new() { ["prob"] = 0.0 }, [10, 20]));
        var noisy = Transformed("rand_gaussian_noise", new() { ["prob"] = 1.0, ["std"] = 1.0, ["sample_std"] = false },
            Enumerable.Repeat(0f, 4000).ToArray());
        var mean = noisy.Average();
        var spread = Math.Sqrt(noisy.Select(value => (value - mean) * (value - mean)).Average());
        Assert.InRange(mean, -0.06, 0.06);
        Assert.InRange(spread, 0.95, 1.05);
    }
}
