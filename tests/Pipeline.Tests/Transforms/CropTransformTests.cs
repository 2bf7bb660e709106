using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;
using Pipeline.Tests.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Tests.Transforms;

public class CropTransformTests
{
    /// <summary>A cubic sample of <paramref name="size"/>³ whose label holds <paramref name="boxes"/> (class, low corner, high corner inclusive); the image counts voxels.</summary>
    private static TransformSample Boxes(long size, params (long Class, long[] Low, long[] High)[] boxes)
    {
        var label = zeros([1, size, size, size], ScalarType.Int64);
        foreach (var (value, low, high) in boxes)
            label[.., TensorIndex.Slice(low[0], high[0] + 1), TensorIndex.Slice(low[1], high[1] + 1), TensorIndex.Slice(low[2], high[2] + 1)] = tensor(value);
        return new TransformSample("boxes")
            .Add("image", TestVolumes.Counting([size, size, size], TransformSamples.Lps), VolumeRole.Image)
            .Add("label", new Volume(label, TransformSamples.Lps), VolumeRole.Label);
    }

    // Class at the crop's centre voxel (size / 2 along each axis, the voxel the crop was centred on unless shifted).
    private static long CentreClass(TransformSample crop, long[] size)
    {
        using var scope = NewDisposeScope();
        return crop["label"].Data[0, size[0] / 2, size[1] / 2, size[2] / 2].item<long>();
    }

    [Theory]
    [InlineData(2, new long[] { 3, 1, 8 }, new long[] { 9, 6, 7 })]
    [InlineData(4, new long[] { 1, 0, 6 }, new long[] { 13, 9, 10 })] // clipped at j = 0 and k = 16
    public void CropForegroundBoxesTheForegroundWithItsMarginInsideTheVolume(int margin, long[] start, long[] size)
    {
        using var source = Boxes(16, (1, [5, 3, 10], [9, 4, 12]));
        using var result = Assert.Single(TransformSamples.One("crop_foreground", new() { ["source_key"] = "label", ["margin"] = margin })
            .Apply(Boxes(16, (1, [5, 3, 10], [9, 4, 12])), 0));
        Assert.Equal(size, result["label"].SpatialShape);
        Assert.Equal(size, result["image"].SpatialShape);
        Assert.Equal(TransformSamples.Lps.Apply(start[0], start[1], start[2]), result["image"].Affine.Apply(0, 0, 0));
        TestVolumes.AssertWorldConsistent(source["image"], result["image"]);
        Assert.Equal(5 * 2 * 3, TestVolumes.Values(result["label"]).Count(value => value == 1));
    }

    [Fact]
    public void CropForegroundLeavesASampleWithoutForegroundAlone()
    {
        using var result = Assert.Single(TransformSamples.One("crop_foreground", new() { ["source_key"] = "label" }).Apply(Boxes(8), 0));
        Assert.Equal(new long[] { 8, 8, 8 }, result["label"].SpatialShape);
        Assert.Empty(result.AppliedOperations);
    }

    [Theory]
    [InlineData(1.0, 3.0, 0.25)]
    [InlineData(1.0, 1.0, 0.5)]
    [InlineData(1.0, 0.0, 1.0)]
    [InlineData(0.0, 1.0, 0.0)]
    public void PosNegRatioSetsTheShareOfForegroundCentredCrops(double pos, double neg, double expectedShare)
    {
        const int draws = 400;
        long[] size = [8, 8, 8];
        var crops = TransformSamples.One("rand_crop_pos_neg",
                new() { ["spatial_size"] = size, ["pos"] = pos, ["neg"] = neg, ["num_samples"] = draws })
            .Apply(Boxes(24, (1, [10, 10, 10], [13, 13, 13])), 5);
        try
        {
            Assert.Equal(draws, crops.Count);
            Assert.All(crops, crop => Assert.Equal(size, crop["image"].SpatialShape));
            var share = crops.Count(crop => CentreClass(crop, size) == 1) / (double)draws;
            // Binomial standard deviation at 400 draws is at most 0.025; allow about 2.5 of them.
            Assert.InRange(share, expectedShare - 0.065, expectedShare + 0.065);
        }
        finally
        {
            TransformSamples.DisposeAll(crops);
        }
    }

    [Fact]
    public void LabelClassRatiosSetTheShareOfEachClassAndAbsentClassesAreSkipped()
    {
        const int draws = 400;
        long[] size = [6, 6, 6];
        var crops = TransformSamples.One("rand_crop_by_label_classes",
                new() { ["spatial_size"] = size, ["ratios"] = new[] { 0.0, 1, 3, 5 }, ["num_classes"] = 4, ["num_samples"] = draws })
            .Apply(Boxes(24, (1, [4, 4, 4], [7, 7, 7]), (2, [15, 15, 15], [18, 18, 18])), 8);
        try
        {
            var classes = crops.Select(crop => CentreClass(crop, size)).ToList();
            Assert.DoesNotContain(0L, classes);
            Assert.DoesNotContain(3L, classes);
            Assert.InRange(classes.Count(value => value == 2) / (double)draws, 0.75 - 0.065, 0.75 + 0.065);
        }
        finally
        {
            TransformSamples.DisposeAll(crops);
        }
    }

    [Fact]
    public void ImageThresholdRestrictsTheCandidateCentres()
    {
        long[] size = [4, 4, 4];
        // The counting image exceeds 16 * 16 * 12 only where i >= 12.
        var crops = TransformSamples.One("rand_crop_pos_neg",
                new() { ["spatial_size"] = size, ["pos"] = 0.0, ["num_samples"] = 50, ["image_key"] = "image", ["image_threshold"] = 16.0 * 16 * 12 })
            .Apply(Boxes(16), 2);
        try
        {
            // Every centre passes the threshold; shifting a crop to fit only moves its centre voxel further in.
            using var scope = NewDisposeScope();
            Assert.All(crops, crop => Assert.True(crop["image"].Data[0, 2, 2, 2].item<float>() > 16 * 16 * 12));
            Assert.Contains(crops, crop => TransformSamples.Lps.Apply(12, 0, 0)[0] == crop["image"].Affine.Apply(0, 0, 0)[0]);
        }
        finally
        {
            TransformSamples.DisposeAll(crops);
        }
    }

    [Fact]
    public void ACropLargerThanTheSampleNamesTheSampleAndSuggestsPadding()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TransformSamples.One("rand_crop_pos_neg", new() { ["spatial_size"] = new[] { 8, 8, 9 } }).Apply(Boxes(8, (1, [1, 1, 1], [2, 2, 2])), 0));
        Assert.Contains("sample 'boxes'", error.Message);
        Assert.Contains("spatial_pad", error.Message);
    }

    [Fact]
    public void SpatialPadThenCropAlwaysFits()
    {
        var compose = new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse("""
            - name: spatial_pad
              spatial_size: [10, 10, 10]
            - name: rand_crop_pos_neg
              spatial_size: [10, 10, 10]
              num_samples: 2
            """, "inline");
        var crops = compose.Apply(Boxes(8, (1, [1, 1, 1], [2, 2, 2])), 4);
        try
        {
            Assert.Equal(2, crops.Count);
            Assert.All(crops, crop => Assert.Equal(2, crop.AppliedOperations.Count));
        }
        finally
        {
            TransformSamples.DisposeAll(crops);
        }
    }
}
