using static TorchSharp.torch;

namespace Pipeline.Core.Data.Cache;

/// <summary>The compact types a case is stored in, chosen so that the values survive (or, for float16, within its bound).</summary>
public static class CaseStorageTypes
{
    /// <summary>The largest finite float16 value.</summary>
    public const double Float16Max = 65504;

    /// <summary>
    /// The image as it will be stored for <paramref name="type"/>, and for float16 the largest rounding error over
    /// its finite voxels.
    /// </summary>
    /// <param name="image">The case image (float32).</param>
    /// <param name="type">The requested storage.</param>
    /// <param name="where">Names the dataset and case in errors.</param>
    /// <exception cref="InvalidDataException">The image does not fit the requested type.</exception>
    public static (Tensor Stored, double? Float16MaxAbsError) CompactImage(Tensor image, CacheImageType type, string where)
    {
        var values = image.dtype == ScalarType.Float32 ? image : image.to_type(ScalarType.Float32);
        switch (type)
        {
            case CacheImageType.Float32:
                return (values, null);
            case CacheImageType.Int16:
                if (!FitsInt16(values))
                    throw new InvalidDataException(
                        $"{where}: cache_image_dtype int16 needs integer voxels in [-32768, 32767], but the image has {Describe(values)}; use auto or float32.");
                return (values.to_type(ScalarType.Int16), null);
            case CacheImageType.Float16:
            {
                using var scope = NewDisposeScope();
                var finite = values.isfinite();
                var magnitude = values.abs().where(finite, zeros_like(values));
                double largest = values.numel() == 0 ? 0 : magnitude.max().item<float>();
                if (largest > Float16Max)
                    throw new InvalidDataException(
                        $"{where}: cache_image_dtype float16 holds values up to ±{Float16Max}, but the image reaches {largest:G6}; use auto or float32.");
                var half = values.to_type(ScalarType.Float16);
                var error = (half.to_type(ScalarType.Float32) - values).abs().where(finite, zeros_like(values));
                double maxError = values.numel() == 0 ? 0 : error.max().item<float>();
                return (half.MoveToOuterDisposeScope(), maxError);
            }
            default:
                return FitsInt16(values) ? (values.to_type(ScalarType.Int16), null) : (values, null);
        }
    }

    /// <summary>The label in the smallest of uint8, int16 and int32 that holds its values.</summary>
    /// <exception cref="InvalidDataException">A value does not fit int32.</exception>
    public static Tensor CompactLabel(Tensor label, string where)
    {
        if (label.numel() == 0) return label.to_type(ScalarType.Byte);
        long min = label.min().item<long>(), max = label.max().item<long>();
        if (min >= 0 && max <= byte.MaxValue) return label.to_type(ScalarType.Byte);
        if (min >= short.MinValue && max <= short.MaxValue) return label.to_type(ScalarType.Int16);
        if (min >= int.MinValue && max <= int.MaxValue) return label.to_type(ScalarType.Int32);
        throw new InvalidDataException($"{where}: label values [{min}, {max}] do not fit the cache's int32 labels.");
    }

    private static bool FitsInt16(Tensor values)
    {
        if (values.numel() == 0) return true;
        using var scope = NewDisposeScope();
        return values.eq(values.round()).all().item<bool>() &&
               values.min().item<float>() >= short.MinValue && values.max().item<float>() <= short.MaxValue;
    }

    private static string Describe(Tensor values)
    {
        using var scope = NewDisposeScope();
        var fractional = values.ne(values.round());
        return fractional.any().item<bool>()
            ? $"non-integer voxels (e.g. {values.masked_select(fractional)[0].item<float>():G6})"
            : $"values in [{values.min().item<float>():G6}, {values.max().item<float>():G6}]";
    }
}
