using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// What nibabel 5 (Debian's python3-nibabel, run by <see cref="ExternalTool.Python"/>) sees in a file: written by
/// scripts/nibabel_oracle.py <c>describe</c>. The voxels are in <see cref="DataFile"/>, C order of
/// <see cref="Shape"/>, little-endian, of type <see cref="DType"/>.
/// </summary>
public sealed class OracleRecord
{
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("version")] public int Version { get; init; }
    [JsonPropertyName("shape")] public long[] Shape { get; init; } = [];
    [JsonPropertyName("dtype")] public string DType { get; init; } = "";
    [JsonPropertyName("stored_dtype")] public string StoredDType { get; init; } = "";
    [JsonPropertyName("data_file")] public string DataFile { get; init; } = "";
    [JsonPropertyName("affine")] public JsonElement[] Affine { get; init; } = [];
    [JsonPropertyName("qform_code")] public int QFormCode { get; init; }
    [JsonPropertyName("sform_code")] public int SFormCode { get; init; }
    [JsonPropertyName("qform")] public JsonElement[] QForm { get; init; } = [];
    [JsonPropertyName("sform")] public JsonElement[] SForm { get; init; } = [];
    [JsonPropertyName("zooms")] public double[] Zooms { get; init; } = [];
    [JsonPropertyName("axcodes")] public string AxCodes { get; init; } = "";
    [JsonPropertyName("slope")] public JsonElement Slope { get; init; }
    [JsonPropertyName("inter")] public JsonElement Inter { get; init; }
    /// <summary>Each extension as [code, content in hex without trailing zero bytes].</summary>
    [JsonPropertyName("extensions")] public JsonElement[][] Extensions { get; init; } = [];
    [JsonPropertyName("descrip")] public string Description { get; init; } = "";
    [JsonPropertyName("intent_code")] public int IntentCode { get; init; }
    [JsonPropertyName("xyzt_units")] public int XyztUnits { get; init; }
    /// <summary>min, max, mean, sum of <c>get_fdata()</c> by numpy (only when described with stats).</summary>
    [JsonPropertyName("stats")] public Dictionary<string, JsonElement>? Stats { get; init; }

    /// <summary>A number the script wrote as a JSON number, or as "nan"/"inf" text.</summary>
    public static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>nibabel's <c>img.affine</c>, row-major.</summary>
    public double[] AffineValues => Affine.Select(Number).ToArray();

    /// <summary>The voxels as a tensor of <see cref="DType"/> with <see cref="Shape"/> (caller disposes).</summary>
    public Tensor LoadData()
    {
        var type = DType switch
        {
            "uint8" => ScalarType.Byte,
            "int8" => ScalarType.Int8,
            "int16" => ScalarType.Int16,
            "int32" => ScalarType.Int32,
            "int64" => ScalarType.Int64,
            "float32" => ScalarType.Float32,
            "float64" => ScalarType.Float64,
            _ => throw new InvalidOperationException($"oracle dtype {DType} is not expected"),
        };
        var tensor = empty(Shape, dtype: type);
        File.ReadAllBytes(DataFile).CopyTo(tensor.bytes);
        return tensor;
    }
}

/// <summary>Runs scripts/nibabel_oracle.py: one Python process per call, for many files at once.</summary>
public static class NibabelOracle
{
    /// <summary>The script, copied next to the test binaries.</summary>
    public static string Script => Path.Combine(AppContext.BaseDirectory, "Imaging", "Nifti", "scripts", "nibabel_oracle.py");

    /// <summary>Writes one image per case into <paramref name="folder"/> with nibabel (see the script).</summary>
    public static void Generate(IEnumerable<object> cases, string folder)
    {
        var casesFile = Path.Combine(folder, "cases.json");
        File.WriteAllText(casesFile, JsonSerializer.Serialize(cases, new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        ExternalTool.Run(ExternalTool.Python, [Script, "generate", casesFile, folder], "python3-nibabel");
    }

    /// <summary>nibabel's view of each file, in order; voxel dumps go to <paramref name="dumpFolder"/>; <paramref name="withStats"/> adds numpy's min/max/mean/sum.</summary>
    public static IReadOnlyList<OracleRecord> Describe(IReadOnlyList<string> files, string dumpFolder, bool withStats = false)
    {
        Directory.CreateDirectory(dumpFolder);
        var list = Path.Combine(dumpFolder, "files.json");
        File.WriteAllText(list, JsonSerializer.Serialize(files));
        var json = ExternalTool.Run(ExternalTool.Python, [Script, "describe", list, dumpFolder, .. (withStats ? new[] { "--stats" } : [])], "python3-nibabel");
        return JsonSerializer.Deserialize<List<OracleRecord>>(json)!;
    }
}
