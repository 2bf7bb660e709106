using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// nifti_tool (Debian's nifti-bin, nifti_clib): an independent writer of test files and an independent reader of
/// ours. <see cref="Fields"/> parses its <c>-disp_nim</c>/<c>-disp_hdr</c> tables.
/// </summary>
public static partial class NiftiTool
{
    /// <summary>Runs nifti_tool with <paramref name="arguments"/> in <paramref name="folder"/>; returns its output.</summary>
    public static string Run(string folder, params string[] arguments) => ExternalTool.Run("nifti_tool", arguments, "nifti-bin", folder);

    /// <summary>
    /// The named fields of each file from one <c>nifti_tool -disp_nim</c> (or <c>-disp_hdr</c>) call, as numbers by
    /// file name then field name.
    /// </summary>
    public static Dictionary<string, Dictionary<string, double[]>> Fields(string folder, string display, IEnumerable<string> fields, IEnumerable<string> files)
    {
        var arguments = new List<string> { display };
        foreach (var field in fields) arguments.AddRange(["-field", field]);
        arguments.Add("-infiles");
        arguments.AddRange(files);
        var result = new Dictionary<string, Dictionary<string, double[]>>();
        Dictionary<string, double[]>? current = null;
        foreach (var line in Run(folder, [.. arguments]).Split('\n'))
        {
            var file = FileLine().Match(line);
            if (file.Success)
            {
                result[Path.GetFileName(file.Groups[1].Value)] = current = [];
                continue;
            }
            var row = FieldLine().Match(line);
            if (row.Success && current is not null)
                current[row.Groups[1].Value] = row.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        return result;
    }

    [GeneratedRegex(@"^header file '([^']+)'")]
    private static partial Regex FileLine();

    [GeneratedRegex(@"^\s+(\w+)\s+\d+\s+\d+\s+([-+0-9.eE ]+)\s*$")]
    private static partial Regex FieldLine();
}
