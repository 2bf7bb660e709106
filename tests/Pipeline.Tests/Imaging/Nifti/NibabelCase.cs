using System.Text.Json.Serialization;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// One image for scripts/nibabel_oracle.py <c>generate</c> to write: datatype, byte order, version, storage, shape,
/// transforms and codes, scaling, extensions, extra bytes before the data, and header fields to force afterwards.
/// </summary>
public sealed record NibabelCase
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("dtype")] public required string DType { get; init; }
    [JsonPropertyName("endian")] public string Endian { get; init; } = "<";
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    [JsonPropertyName("pair")] public bool Pair { get; init; }
    [JsonPropertyName("gzip")] public bool Gzip { get; init; }
    [JsonPropertyName("shape")] public required long[] Shape { get; init; }
    /// <summary>"axis" (a permutation with flips, like scanner orientations) or "rotation" (oblique, random qfac).</summary>
    [JsonPropertyName("affine_kind")] public string AffineKind { get; init; } = "rotation";
    /// <summary>The sform gets a shear and another origin, so it cannot equal the qform.</summary>
    [JsonPropertyName("sform_differs")] public bool SFormDiffers { get; init; }
    [JsonPropertyName("qform_code")] public int QFormCode { get; init; }
    [JsonPropertyName("sform_code")] public int SFormCode { get; init; }
    /// <summary>Header fields set after the transforms: pixdim0, srow_x0 or any nibabel header field name.</summary>
    [JsonPropertyName("raw")] public Dictionary<string, double> Raw { get; init; } = [];
    [JsonPropertyName("slope")] public double? Slope { get; init; }
    [JsonPropertyName("inter")] public double Inter { get; init; }
    [JsonPropertyName("extensions")] public bool Extensions { get; init; }
    [JsonPropertyName("extra_offset")] public int ExtraOffset { get; init; }

    /// <summary>The file name the script writes for this case, inside its output folder.</summary>
    public string FileName => Name + (Pair ? ".hdr" : ".nii") + (Gzip ? ".gz" : "");

    /// <summary>
    /// The generated set: every datatype × byte order × NIfTI version (40 images), cycling through shapes (2-D to
    /// 5-D), transform code combinations (q only, s only, both with different matrices, neither, both equal),
    /// scalings (none, slope and intercept, slope 0, slope 1, slope NaN) and storage (gzip, pair, extensions, gaps
    /// before the data); plus cases for qfac 0, an invalid sform code, a NaN in an unused sform, 7-D, and scaled
    /// float64 and uint8.
    /// </summary>
    public static IReadOnlyList<NibabelCase> All { get; } = Build();

    private static List<NibabelCase> Build()
    {
        string[] types = ["uint8", "int8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"];
        long[][] shapes = [[3, 4, 5], [3, 4, 5, 2], [2, 3, 4, 2, 3], [5, 4]];
        (int Q, int S, bool Differs, string Kind)[] transforms =
            [(1, 0, false, "rotation"), (0, 2, false, "axis"), (2, 4, true, "rotation"), (0, 0, false, "rotation"), (4, 1, false, "axis")];
        (double? Slope, double Inter)[] scalings = [(null, 0), (2.5, -10), (0, 7), (1, 0), (0.5, 3), (double.NaN, 5)];
        var cases = new List<NibabelCase>();
        var n = 0;
        foreach (var type in types)
        foreach (var endian in new[] { "<", ">" })
        foreach (var version in new[] { 1, 2 })
        {
            var shape = shapes[n % shapes.Length];
            var transform = transforms[n % transforms.Length];
            var scaling = scalings[n % scalings.Length];
            var random = new Random(n);
            var pair = random.Next(5) == 0;
            var gzip = random.Next(2) == 0;
            var extensions = random.Next(3) == 0;
            // nibabel reads extensions up to vox_offset, so it cannot read a gap after them: gaps only without extensions.
            var extra = !extensions && random.Next(3) == 0 ? 64 : 0;
            var name = string.Join("-", new[]
            {
                type, endian == "<" ? "le" : "be", $"v{version}", $"{shape.Length}d", $"q{transform.Q}s{transform.S}{(transform.Differs ? "diff" : "")}",
                scaling.Slope is null ? "noscale" : $"slope{scaling.Slope}_inter{scaling.Inter}", pair ? "pair" : "single", gzip ? "gz" : "raw",
                extensions ? "ext" : "", extra > 0 ? "gap" : "",
            }.Where(part => part.Length > 0));
            cases.Add(new NibabelCase
            {
                Name = name.Replace('.', 'p'), Seed = n, DType = type, Endian = endian, Version = version, Pair = pair, Gzip = gzip,
                Shape = shape, AffineKind = transform.Kind, SFormDiffers = transform.Differs, QFormCode = transform.Q, SFormCode = transform.S,
                Slope = scaling.Slope, Inter = scaling.Inter, Extensions = extensions, ExtraOffset = extra,
            });
            n++;
        }
        cases.Add(new NibabelCase { Name = "qfac0-qform-only", Seed = 100, DType = "int16", Shape = [4, 3, 2], QFormCode = 1, Raw = { ["pixdim0"] = 0 } });
        cases.Add(new NibabelCase { Name = "sform-code-7-is-invalid", Seed = 101, DType = "float32", Shape = [4, 3, 2], QFormCode = 2, SFormCode = 3, SFormDiffers = true, Raw = { ["sform_code"] = 7 } });
        cases.Add(new NibabelCase { Name = "nan-in-unused-sform", Seed = 102, DType = "uint8", Shape = [4, 3, 2], QFormCode = 1, Raw = { ["srow_x0"] = double.NaN } });
        cases.Add(new NibabelCase { Name = "negative-pixdim-fallback", Seed = 103, DType = "int16", Shape = [4, 3, 2], Raw = { ["pixdim1"] = -2.5, ["pixdim3"] = 0 } });
        cases.Add(new NibabelCase { Name = "seven-d", Seed = 104, DType = "int16", Gzip = true, Shape = [2, 3, 2, 1, 2, 1, 2], QFormCode = 1, SFormCode = 1 });
        cases.Add(new NibabelCase { Name = "float64-scaled", Seed = 105, DType = "float64", Version = 2, Shape = [3, 2, 4], SFormCode = 4, Slope = 3, Inter = 1 });
        cases.Add(new NibabelCase { Name = "uint8-scaled-gz-be", Seed = 106, DType = "uint8", Endian = ">", Gzip = true, Shape = [6, 5, 4], QFormCode = 4, SFormCode = 4, AffineKind = "axis", Slope = 0.352459, Inter = 6.678 });
        cases.Add(new NibabelCase { Name = "big-gap-before-data", Seed = 107, DType = "int32", Gzip = true, Shape = [3, 3, 3], SFormCode = 2, ExtraOffset = 4096 });
        return cases;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
