using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Datasets;

/// <summary>Writes the NIfTI files of fixture cases with our writer (the reader's conformance is tested against nibabel elsewhere).</summary>
public static class FixtureVolumes
{
    /// <summary>Writes the case's image (int16 CT-like values) to <paramref name="path"/>.</summary>
    public static void WriteImage(string path, FixtureCase fixture)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long[] spatial = fixture.ImageShape.Take(3).ToArray();
        long channels = fixture.ImageShape.Length > 3 ? fixture.ImageShape[3] : 1;
        using var data = arange(channels * spatial.Aggregate(1L, (a, b) => a * b), dtype: ScalarType.Float32).sub(100).reshape([channels, .. spatial]);
        using var volume = new Volume(data.alias(), fixture.Affine);
        NiftiWriter.Write(path, volume, new NiftiWriteOptions { DataType = NiftiDataType.Int16 });
    }

    /// <summary>Writes the case's label (uint8 values cycling 0..MaxLabel) unless it has none.</summary>
    public static void WriteLabel(string path, FixtureCase fixture)
    {
        if (fixture.WithoutLabel) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long[] shape = fixture.LabelShape ?? fixture.ImageShape.Take(3).ToArray();
        long[] spatial = shape.Take(3).ToArray();
        long channels = shape.Length > 3 ? shape[3] : 1;
        using var values = arange(channels * spatial.Aggregate(1L, (a, b) => a * b), dtype: ScalarType.Int64)
            .remainder(fixture.MaxLabel + 1).to_type(ScalarType.Float32).reshape([channels, .. spatial]);
        using var volume = new Volume(values.alias(), fixture.LabelAffine ?? fixture.Affine);
        NiftiWriter.Write(path, volume, new NiftiWriteOptions { DataType = NiftiDataType.UInt8 });
    }
}
