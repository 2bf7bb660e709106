using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;
using Pipeline.Core.Transforms;
using Pipeline.Tests.Imaging.Geometry;

namespace Pipeline.Tests.Transforms;

public class InversionTests
{
    /// <summary>
    /// Transforms that only move voxels: the inverse gives back the source exactly, except that voxels a crop
    /// dropped come back as 0 (so for crop_foreground only the label, which is 0 outside its box, is exact).
    /// </summary>
    public static TheoryData<string, Dictionary<string, object?>, string[]> ExactTransforms => new()
    {
        { "orientation", new(), ["label", "image"] },
        { "orientation", new() { ["axcodes"] = "PIR" }, ["label", "image"] },
        { "rand_flip", new() { ["prob"] = 1.0 }, ["label", "image"] },
        { "rand_flip", new() { ["prob"] = 1.0, ["spatial_axis"] = new[] { 1 } }, ["label", "image"] },
        { "rand_rotate90", new() { ["prob"] = 1.0, ["spatial_axes"] = new[] { 1, 2 } }, ["label", "image"] },
        { "spatial_pad", new() { ["spatial_size"] = new[] { 19, 18, 21 } }, ["label", "image"] },
        { "crop_foreground", new() { ["source_key"] = "label", ["margin"] = 1 }, ["label"] },
    };

    /// <summary>Transforms that crop: the inverse puts the crop back in place with zeros around it.</summary>
    public static TheoryData<string, Dictionary<string, object?>> CroppingTransforms => new()
    {
        { "rand_crop_pos_neg", new() { ["spatial_size"] = new[] { 8, 9, 10 }, ["num_samples"] = 4 } },
        { "rand_crop_by_label_classes", new() { ["spatial_size"] = new[] { 6, 6, 6 }, ["num_samples"] = 4 } },
    };

    /// <summary>Transforms that interpolate: the inverse brings the blob back within half a voxel.</summary>
    public static TheoryData<string, Dictionary<string, object?>> ResamplingTransforms => new()
    {
        { "spacing", new() { ["pixdim"] = new[] { 2.0, 0.8, 1.7 } } },
        { "rand_affine", new() { ["prob"] = 1.0, ["rotate_range"] = new[] { 0.4 }, ["scale_range"] = new[] { 0.15 } } },
        { "rand_affine", new() { ["prob"] = 1.0, ["rotate_range"] = new[] { 0.0, 0.0, 0.6 }, ["padding"] = "zeros" } },
    };

    [Theory]
    [MemberData(nameof(ExactTransforms))]
    public void ExactTransformsInvertExactly(string name, Dictionary<string, object?> options, string[] exactKeys)
    {
        using var source = TransformSamples.Case();
        foreach (var seed in new long[] { 3, 4, 5 })
        {
            var results = TransformSamples.Run(TransformSamples.One(name, options), seed);
            using var result = Assert.Single(results);
            Assert.NotEmpty(result.AppliedOperations);
            foreach (var key in exactKeys)
            {
                var interpolation = key == "label" ? Interpolation.Nearest : Interpolation.Trilinear;
                using var back = result.Invert(result[key], interpolation);
                Assert.True(TestVolumes.Same(source[key].Data, back.Data), $"{name} seed {seed}: {key} differs after inversion");
                Assert.Equal(source[key].Affine, back.Affine);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CroppingTransforms))]
    public void CropsGoBackInPlace(string name, Dictionary<string, object?> options)
    {
        using var source = TransformSamples.Case();
        var crops = TransformSamples.Run(TransformSamples.One(name, options), 11);
        try
        {
            Assert.Equal(4, crops.Count);
            foreach (var crop in crops)
            {
                using var back = crop.Invert(crop["label"], Interpolation.Nearest);
                Assert.Equal(source["label"].Affine, back.Affine);
                Assert.Equal(source["label"].SpatialShape, back.SpatialShape);
                TestVolumes.AssertWorldConsistent(crop["label"], back, fill: 0);
                TestVolumes.AssertWorldConsistent(source["label"], crop["label"]);
            }
        }
        finally
        {
            TransformSamples.DisposeAll(crops);
        }
    }

    [Theory]
    [MemberData(nameof(ResamplingTransforms))]
    public void ResamplingTransformsInvertWithinHalfAVoxel(string name, Dictionary<string, object?> options)
    {
        using var source = TransformSamples.Case();
        var sourceImageCentre = BlobCentre(source["image"]);
        var sourceLabelCentre = LabelCentre(source["label"]);
        foreach (var seed in new long[] { 1, 2, 3, 4 })
        {
            using var result = Assert.Single(TransformSamples.Run(TransformSamples.One(name, options), seed));
            Assert.IsType<ResampleOperation>(Assert.Single(result.AppliedOperations));
            using var image = result.Invert(result["image"], Interpolation.Trilinear);
            using var label = result.Invert(result["label"], Interpolation.Nearest);
            Assert.Equal(source["image"].Affine, image.Affine);
            Assert.Equal(source["label"].SpatialShape, label.SpatialShape);
            var imageError = TestVolumes.Distance(BlobCentre(image), sourceImageCentre);
            var labelError = TestVolumes.Distance(LabelCentre(label), sourceLabelCentre);
            Assert.True(imageError < 0.5, $"{name} seed {seed}: image blob centre off by {imageError:F3} voxels");
            Assert.True(labelError < 0.5, $"{name} seed {seed}: label ball centre off by {labelError:F3} voxels");
            Assert.Subset(new HashSet<double> { 0, 1, 2 }, TestVolumes.Values(label).ToHashSet());
        }
    }

    [Fact]
    public void AChainOfGeometricTransformsInvertsBackToTheSourceGrid()
    {
        var compose = new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse("""
            - name: orientation
            - name: spacing
              pixdim: [1.0, 1.0, 1.0]
            - name: rand_flip
              prob: 0.5
            - name: rand_rotate90
              prob: 0.5
            - name: rand_affine
              prob: 1.0
              rotate_range: [0.3]
              scale_range: [0.1]
            """, "chain");
        using var source = TransformSamples.Case();
        var sourceCentre = LabelCentre(source["label"]);
        foreach (var seed in new long[] { 21, 22, 23 })
        {
            using var result = Assert.Single(compose.Apply(TransformSamples.Case(), seed));
            Assert.Equal("RAS", Orientation.FromAffine(result.AppliedOperations[0].ResultGrid.Affine).AxisCodes);
            using var label = result.Invert(result["label"], Interpolation.Nearest);
            Assert.Equal(source["label"].Affine, label.Affine);
            var error = TestVolumes.Distance(LabelCentre(label), sourceCentre);
            Assert.True(error < 0.5, $"seed {seed}: label centre off by {error:F3} voxels after {result.AppliedOperations.Count} inversions");
        }
    }

    [Fact]
    public void InvertingAVolumeOfTheWrongShapeNamesTheTransform()
    {
        using var result = Assert.Single(TransformSamples.Run(TransformSamples.One("spatial_pad", new() { ["spatial_size"] = new[] { 20, 20, 20 } }), 0));
        using var wrong = TestVolumes.Counting([16, 18, 14], result["label"].Affine);
        var error = Assert.Throws<ArgumentException>(() => result.Invert(wrong, Interpolation.Nearest));
        Assert.Contains("'spatial_pad'", error.Message);
    }

    // Centre of the blob's positive part (the image is -100 far from it, and inversion pads with 0).
    private static double[] BlobCentre(Volume image)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return TestVolumes.CentreOfMass(new Volume(image.Data.clamp_min(0), image.Affine));
    }

    // Centre of the class-1 ball: the mean voxel position where the label is 1.
    private static double[] LabelCentre(Volume label)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return TestVolumes.CentreOfMass(new Volume(label.Data.eq(1).to_type(TorchSharp.torch.ScalarType.Float32), label.Affine));
    }
}
