using Pipeline.Core.Imaging.Geometry;
using Pipeline.Core.Manifest;
using Pipeline.Core.Transforms;
using Pipeline.Tests.Imaging.Geometry;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Transforms;

public class TransformListReaderTests
{
    private readonly TransformListReader _reader = new(TransformRegistry.CreateBuiltIn());

    [Fact]
    public void YamlListBuildsTheTransformsInOrderWithTheirOptions()
    {
        var compose = _reader.Parse("""
            - name: orientation
              axcodes: RAS
            - name: spacing
              pixdim: [1.5, 1.5, 2.0]
              label_interpolation: nearest
            - name: ct_window
              a_min: -125
              a_max: 275
              b_min: 0
              b_max: 1
              clip: true
            - name: rand_crop_pos_neg
              spatial_size: [8, 8, 8]
              pos: 1
              neg: 1
              num_samples: 2
            - name: rand_flip
              prob: 0.5
              spatial_axis: [0]
            """, "train.yaml");
        Assert.Equal(new[] { "orientation", "spacing", "ct_window", "rand_crop_pos_neg", "rand_flip" }, compose.Transforms.Select(transform => transform.Name));

        var samples = compose.Apply(TransformSamples.Case(), 3);
        try
        {
            Assert.Equal(2, samples.Count);
            foreach (var sample in samples)
            {
                // Reoriented first; a later flip changes the codes again, because affines follow every move.
                Assert.Equal("RAS", Orientation.FromAffine(sample.AppliedOperations[0].ResultGrid.Affine).AxisCodes);
                Assert.Equal(new[] { 1.5, 1.5, 2.0 }, sample["image"].Spacing.Select(size => Math.Round(size, 12)));
                Assert.All(TestVolumes.Values(sample["image"]), value => Assert.InRange(value, 0, 1));
                Assert.Subset(new HashSet<double> { 0, 1, 2 }, TestVolumes.Values(sample["label"]).ToHashSet());
            }
        }
        finally
        {
            TransformSamples.DisposeAll(samples);
        }
    }

    [Fact]
    public void ABadKeyIsReportedWithItsLineIndexTransformAndSuggestion()
    {
        var error = Assert.Throws<ManifestException>(() => _reader.Parse("""
            - name: orientation
            - name: ct_window
              a_mim: -125
              a_max: 275
            """, "train.yaml"));
        var problem = Assert.Single(error.Errors);
        Assert.Equal("train.yaml:3:3: transforms[1].a_mim: transform 'ct_window': unknown key 'a_mim' (did you mean 'a_min'?); " +
                     "valid keys: keys, a_min, a_max, b_min, b_max, clip", problem.ToString());
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var error = Assert.Throws<ManifestException>(() => _reader.Parse("""
            - name: ct_windw
            - axcodes: RAS
            - name: rand_flip
              prob: 2
            - name: rand_crop_pos_neg
              num_samples: 2
            - name: spacing
              pixdim: 1.5
            - name: rand_affine
              padding: mirror
            """, "t.yaml"));
        var lines = error.Errors.Select(problem => problem.ToString()).ToList();
        Assert.Equal(6, lines.Count);
        Assert.Contains(lines, line => line.StartsWith("t.yaml:1:9: transforms[0].name: unknown transform 'ct_windw' (did you mean 'ct_window'?)"));
        Assert.Contains(lines, line => line.StartsWith("t.yaml:2:3: transforms[1].name: missing required key 'name'"));
        Assert.Contains("t.yaml:4:9: transforms[2].prob: transform 'rand_flip': must be a probability in [0, 1], got 2", lines);
        Assert.Contains("t.yaml:5:3: transforms[3].spatial_size: transform 'rand_crop_pos_neg': missing required key 'spatial_size'", lines);
        Assert.Contains("t.yaml:8:11: transforms[4].pixdim: transform 'spacing': expected a sequence, got '1.5'", lines);
        Assert.Contains(lines, line => line.StartsWith("t.yaml:10:12: transforms[5].padding: transform 'rand_affine': expected one of [zeros, border, reflection], got 'mirror'"));
    }

    [Fact]
    public void ReadsIntoTheDiagnosticsOfALargerManifest()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("""
            transforms:
              - name: z_score
                nonzero: yes please
            """));
        var diagnostics = new ManifestDiagnostics(new NodeLocator("run.yaml"));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Null(_reader.Read(root.Children[new YamlScalarNode("transforms")], "stages[0].options.transforms", diagnostics));
        var problem = Assert.Single(diagnostics.Errors);
        Assert.Equal("stages[0].options.transforms[0].nonzero", problem.Path);
        Assert.StartsWith("transform 'z_score': expected true or false", problem.Message);
    }

    [Fact]
    public void SpecsGivenInCodeBindLikeYamlAndTheirErrorsNameIndexTransformAndKey()
    {
        var compose = _reader.Read([
            new TransformSpec("ct_window", new Dictionary<string, object?> { ["a_min"] = -100, ["a_max"] = 300.0, ["keys"] = new[] { "image" } }),
            new TransformSpec("rand_affine", new Dictionary<string, object?> { ["prob"] = 1.0, ["padding"] = PaddingMode.Zeros, ["rotate_range"] = new List<double> { 0.1 } }),
        ]);
        Assert.Equal(new[] { "ct_window", "rand_affine" }, compose.Transforms.Select(transform => transform.Name));

        var error = Assert.Throws<ArgumentException>(() => _reader.Read([
            new TransformSpec("orientation", new Dictionary<string, object?>()),
            new TransformSpec("ct_window", new Dictionary<string, object?> { ["a_mim"] = -100 }),
            new TransformSpec("ct_window", new Dictionary<string, object?> { ["a_min"] = 5, ["a_max"] = 5 }),
        ]));
        Assert.Contains("transforms[1].a_mim: transform 'ct_window': unknown key 'a_mim' (did you mean 'a_min'?)", error.Message);
        Assert.Contains("transforms[2].a_max: transform 'ct_window': must differ from a_min (5)", error.Message);
    }

    [Fact]
    public void OtherTransformsCanBeRegistered()
    {
        var registry = TransformRegistry.CreateBuiltIn();
        registry.Register<CtWindowOptions>("soft_tissue_window", options => new CtWindowTransform(options));
        Assert.Single(new TransformListReader(registry).Parse("- name: soft_tissue_window\n  a_min: -160\n  a_max: 240\n", "x").Transforms);
        Assert.Throws<ArgumentException>(() => registry.Register<CtWindowOptions>("ct_window", options => new CtWindowTransform(options)));
    }
}
