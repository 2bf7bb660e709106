namespace Pipeline.Core.Data.Cache;

/// <summary>How the disk cache stores image voxels (labels are always stored in the smallest integer type that holds them).</summary>
public enum CacheImageType
{
    /// <summary>
    /// Lossless: int16 when every voxel is an integer in [-32768, 32767] (e.g. CT in Hounsfield units before any
    /// intensity transform), float32 otherwise. Training on the cache then sees exactly the values it would see
    /// without it.
    /// </summary>
    Auto,

    /// <summary>float32: exact, 4 bytes per voxel.</summary>
    Float32,

    /// <summary>
    /// IEEE half precision, 2 bytes per voxel, for normalised images. Rounding to nearest bounds the error by
    /// 2^-11 · |x| (relative 4.9e-4) for |x| ≥ 2^-14 and by 2^-25 below; values beyond ±65504 cannot be stored and
    /// are refused (naming the case). Each case's measured largest error is written to its metadata.
    /// </summary>
    Float16,

    /// <summary>int16, 2 bytes per voxel; every voxel must be an integer in [-32768, 32767] (refused otherwise).</summary>
    Int16,
}
