using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// One NIfTI voxel datatype: its header code, its name (as nibabel and numpy spell it), its size in the file and the
/// tensor type it is read into. TorchSharp has no unsigned 16-, 32- or 64-bit type, so uint16 is read into int32 and
/// uint32 into int64 (both exact); uint64 is read into int64, which holds every value below 2⁶³ (larger values are
/// reported as an error rather than wrapped).
/// </summary>
public sealed class NiftiDataType
{
    private NiftiDataType(short code, string name, int size, ScalarType tensorType, ScalarType storageType, bool unsigned)
    {
        Code = code;
        Name = name;
        Size = size;
        TensorType = tensorType;
        StorageType = storageType;
        IsUnsigned = unsigned;
    }

    /// <summary>unsigned 8-bit integer (code 2).</summary>
    public static NiftiDataType UInt8 { get; } = new(2, "uint8", 1, ScalarType.Byte, ScalarType.Byte, true);

    /// <summary>signed 16-bit integer (code 4).</summary>
    public static NiftiDataType Int16 { get; } = new(4, "int16", 2, ScalarType.Int16, ScalarType.Int16, false);

    /// <summary>signed 32-bit integer (code 8).</summary>
    public static NiftiDataType Int32 { get; } = new(8, "int32", 4, ScalarType.Int32, ScalarType.Int32, false);

    /// <summary>32-bit IEEE float (code 16).</summary>
    public static NiftiDataType Float32 { get; } = new(16, "float32", 4, ScalarType.Float32, ScalarType.Float32, false);

    /// <summary>64-bit IEEE float (code 64).</summary>
    public static NiftiDataType Float64 { get; } = new(64, "float64", 8, ScalarType.Float64, ScalarType.Float64, false);

    /// <summary>signed 8-bit integer (code 256).</summary>
    public static NiftiDataType Int8 { get; } = new(256, "int8", 1, ScalarType.Int8, ScalarType.Int8, false);

    /// <summary>unsigned 16-bit integer (code 512), read into int32.</summary>
    public static NiftiDataType UInt16 { get; } = new(512, "uint16", 2, ScalarType.Int32, ScalarType.Int16, true);

    /// <summary>unsigned 32-bit integer (code 768), read into int64.</summary>
    public static NiftiDataType UInt32 { get; } = new(768, "uint32", 4, ScalarType.Int64, ScalarType.Int32, true);

    /// <summary>signed 64-bit integer (code 1024).</summary>
    public static NiftiDataType Int64 { get; } = new(1024, "int64", 8, ScalarType.Int64, ScalarType.Int64, false);

    /// <summary>unsigned 64-bit integer (code 1280), read into int64 (values of 2⁶³ and more are an error).</summary>
    public static NiftiDataType UInt64 { get; } = new(1280, "uint64", 8, ScalarType.Int64, ScalarType.Int64, true);

    /// <summary>Every supported datatype, by ascending code.</summary>
    public static IReadOnlyList<NiftiDataType> All { get; } = [UInt8, Int16, Int32, Float32, Float64, Int8, UInt16, UInt32, Int64, UInt64];

    /// <summary>Codes the NIfTI standard defines that this reader does not support (complex, RGB, 128-bit, binary).</summary>
    private static readonly Dictionary<int, string> Unsupported = new()
    {
        [1] = "binary", [32] = "complex64", [128] = "rgb24", [1536] = "float128",
        [1792] = "complex128", [2048] = "complex256", [2304] = "rgba32",
    };

    /// <summary>The <c>datatype</c> header code.</summary>
    public short Code { get; }

    /// <summary>The name, e.g. <c>int16</c>.</summary>
    public string Name { get; }

    /// <summary>Bytes per voxel in the file (<c>bitpix</c> / 8).</summary>
    public int Size { get; }

    /// <summary>The tensor type voxels are read into when the file is not scaled.</summary>
    public ScalarType TensorType { get; }

    /// <summary>A tensor type of the same byte size as the file's values, used to hold the raw bytes while reading.</summary>
    public ScalarType StorageType { get; }

    /// <summary>True for the unsigned integer types.</summary>
    public bool IsUnsigned { get; }

    /// <summary>True for float32 and float64.</summary>
    public bool IsFloatingPoint => Code is 16 or 64;

    /// <summary>The datatype with header code <paramref name="code"/>, or null when the code is unknown or unsupported.</summary>
    public static NiftiDataType? FromCode(int code) => All.FirstOrDefault(type => type.Code == code);

    /// <summary>Why <paramref name="code"/> cannot be read: "unsupported NIfTI datatype complex64 (32)" or "unknown datatype code 3".</summary>
    public static string DescribeUnreadable(int code) => Unsupported.TryGetValue(code, out var name)
        ? $"NIfTI datatype {name} (code {code}) is not supported; supported: {string.Join(", ", All.Select(t => $"{t.Name} ({t.Code})"))}"
        : $"unknown datatype code {code}; expected one of {string.Join(", ", All.Select(t => $"{t.Code} ({t.Name})"))}";

    /// <summary>
    /// The datatype a tensor of type <paramref name="type"/> is written as: the matching NIfTI type, uint8 for bool,
    /// float32 for float16 and bfloat16 (the standard has no half-precision type).
    /// </summary>
    /// <exception cref="ArgumentException">Complex or other types NIfTI cannot hold.</exception>
    public static NiftiDataType ForTensorType(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Bool => UInt8,
        ScalarType.Int8 => Int8,
        ScalarType.Int16 => Int16,
        ScalarType.Int32 => Int32,
        ScalarType.Int64 => Int64,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 => Float32,
        ScalarType.Float64 => Float64,
        _ => throw new ArgumentException($"tensors of type {type} cannot be written as NIfTI voxels", nameof(type)),
    };

    /// <summary>The smallest and largest value the type holds (as doubles; int64/uint64 limits are rounded).</summary>
    public (double Min, double Max) Range => Code switch
    {
        2 => (byte.MinValue, byte.MaxValue),
        4 => (short.MinValue, short.MaxValue),
        8 => (int.MinValue, int.MaxValue),
        256 => (sbyte.MinValue, sbyte.MaxValue),
        512 => (ushort.MinValue, ushort.MaxValue),
        768 => (uint.MinValue, uint.MaxValue),
        1024 => (long.MinValue, long.MaxValue),
        1280 => (0, long.MaxValue),
        16 => (float.MinValue, float.MaxValue),
        _ => (double.MinValue, double.MaxValue),
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}
