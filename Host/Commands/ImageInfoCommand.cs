using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Cli.Cli;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline image info FILE [--json]</c>: a NIfTI image's shape, datatype, voxel sizes, transforms and codes, the
/// affine nibabel's rule picks (4×4), its orientation codes (e.g. RAS, LSA), and the minimum, maximum, mean and sum of
/// the scaled voxel values (accumulated in float64, as numpy does on <c>get_fdata()</c>).
/// </summary>
public sealed class ImageInfoCommand(CliOutput output) : ICliCommand
{
    private static readonly string[] TransformCodeNames = ["unknown", "scanner", "aligned", "talairach", "mni", "template"];

    /// <inheritdoc />
    public string Name => "image info";

    /// <inheritdoc />
    public string Usage => "pipeline image info FILE [--json]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["json"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positionals.Count != 1) throw new CommandLineException($"expected one image FILE. Usage: {Usage}");
        var file = Path.GetFullPath(line.Positionals[0]);
        using var scope = NewDisposeScope();
        NiftiImage image;
        try
        {
            image = NiftiReader.Read(file);
        }
        catch (Exception e) when (e is NiftiFormatException or FileNotFoundException)
        {
            throw new UserFacingException(e.Message, e);
        }
        using (image)
        {
            var info = Describe(file, image);
            output.Out.WriteLine(line.Flag("json") ? info.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : ToText(info));
        }
        return Task.FromResult(0);
    }

    /// <summary>The facts about <paramref name="image"/> as a JSON object (the <c>--json</c> output).</summary>
    public static JsonObject Describe(string file, NiftiImage image)
    {
        var header = image.Header;
        var values = image.Data.to(ScalarType.Float64);
        var count = values.numel();
        var (min, max, sum) = count == 0
            ? (double.NaN, double.NaN, 0.0)
            : (values.min().item<double>(), values.max().item<double>(), values.sum().item<double>());
        return new JsonObject
        {
            ["file"] = file,
            ["format"] = $"NIfTI-{header.Version}",
            ["storage"] = header.IsPair ? "hdr/img pair" : "single file",
            ["gzip"] = IsGzip(file),
            ["byte_order"] = header.IsBigEndian ? "big-endian" : "little-endian",
            ["shape"] = Array(header.Shape.Select(extent => (double)extent)),
            ["datatype"] = header.DataType!.Name,
            ["tensor_dtype"] = image.Data.dtype.ToString().ToLowerInvariant(),
            ["zooms"] = Array(header.Zooms),
            ["spacing"] = Array(image.Affine.Spacing()),
            ["qform_code"] = header.QFormCode,
            ["qform_name"] = CodeName(header.QFormCode),
            ["sform_code"] = header.SFormCode,
            ["sform_name"] = CodeName(header.SFormCode),
            ["affine_source"] = header.AffineSource.ToString().ToLowerInvariant(),
            ["affine"] = new JsonArray(image.Affine.ToRows().Select(row => (JsonNode)Array(row)).ToArray()),
            ["orientation"] = NiftiAxisCodes.FromAffine(image.Affine),
            ["scl_slope"] = header.Scaling is { } s ? Number(s.Slope) : null,
            ["scl_inter"] = header.Scaling is { } i ? Number(i.Intercept) : null,
            ["min"] = Number(min),
            ["max"] = Number(max),
            ["mean"] = Number(count == 0 ? double.NaN : sum / count),
            ["sum"] = Number(sum),
            ["extensions"] = new JsonArray(header.Extensions.Select(e => (JsonNode)new JsonObject { ["code"] = e.Code, ["bytes"] = e.Content.Length }).ToArray()),
            ["description"] = header.Description,
        };
    }

    private static string ToText(JsonObject info)
    {
        var affine = info["affine"]!.AsArray().Select(row => "[" + string.Join(", ", row!.AsArray().Select(v => Format(v!.GetValue<double>()))) + "]").ToList();
        var lines = new List<string>
        {
            $"file          {info["file"]}",
            $"format        {info["format"]}, {info["storage"]}{(info["gzip"]!.GetValue<bool>() ? ", gzip" : "")}, {info["byte_order"]}",
            $"shape         {Join(info["shape"], " x ")}",
            $"datatype      {info["datatype"]} (in memory: {info["tensor_dtype"]})",
            $"zooms         {Join(info["zooms"], " ")}",
            $"spacing       {Join(info["spacing"], " ")} mm",
            $"qform_code    {info["qform_code"]} ({info["qform_name"]})",
            $"sform_code    {info["sform_code"]} ({info["sform_name"]})",
            $"affine        {affine[0]}   (from the {info["affine_source"]})",
        };
        lines.AddRange(affine.Skip(1).Select(row => $"              {row}"));
        lines.Add($"orientation   {info["orientation"]}");
        lines.Add(info["scl_slope"] is null ? "scaling       none" : $"scaling       {info["scl_slope"]} * x + {info["scl_inter"]}");
        lines.Add($"min / max     {Text(info["min"])} / {Text(info["max"])}");
        lines.Add($"mean / sum    {Text(info["mean"])} / {Text(info["sum"])}");
        var extensions = info["extensions"]!.AsArray();
        lines.Add($"extensions    {(extensions.Count == 0 ? "none" : string.Join(", ", extensions.Select(e => $"code {e!["code"]} ({e["bytes"]} bytes)")))}");
        if (info["description"]!.GetValue<string>().Length > 0) lines.Add($"description   {info["description"]}");
        return string.Join(Environment.NewLine, lines);
    }

    private static bool IsGzip(string file)
    {
        var (headerPath, _) = NiftiPaths.Resolve(file);
        using var stream = File.OpenRead(headerPath);
        return stream.ReadByte() == 0x1F && stream.ReadByte() == 0x8B;
    }

    private static string CodeName(int code) => code >= 0 && code < TransformCodeNames.Length ? TransformCodeNames[code] : "invalid, read as 0";

    private static JsonArray Array(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)Number(v)).ToArray());

    /// <summary>A JSON number, or a string for NaN and infinities (which JSON cannot hold as numbers).</summary>
    private static JsonNode Number(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static string Join(JsonNode? array, string separator) =>
        string.Join(separator, array!.AsArray().Select(v => Text(v)));

    private static string Text(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<double>(out var number) ? Format(number) : value?.ToString() ?? "";

    private static string Format(double value) => value.ToString("G7", CultureInfo.InvariantCulture);
}
