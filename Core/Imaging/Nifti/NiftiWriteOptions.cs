using System.IO.Compression;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>Choices for <see cref="NiftiWriter"/>; every property has a sensible default.</summary>
public sealed record NiftiWriteOptions
{
    /// <summary>
    /// 1 or 2 for NIfTI-1 or NIfTI-2; null keeps the source header's version (NIfTI-1 without one), switching to
    /// NIfTI-2 when an extent does not fit NIfTI-1's 16-bit fields.
    /// </summary>
    public int? Version { get; init; }

    /// <summary>
    /// The voxel datatype to store; null derives it from the tensor type (uint8, int8, int16, int32, int64, float32,
    /// float64; bool as uint8, half precision as float32), keeping an unsigned source type (uint16/32/64) when the
    /// tensor holds the type the reader widened it to. Conversion to an integer type rounds to nearest (ties to
    /// even) and fails when a value is NaN or outside the type's range.
    /// </summary>
    public NiftiDataType? DataType { get; init; }

    /// <summary>Gzip level for <c>.nii.gz</c> (default: fastest, like nibabel's level 1).</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;

    /// <summary>Replaces the header's <c>descrip</c> when set (at most 79 characters are stored).</summary>
    public string? Description { get; init; }
}
