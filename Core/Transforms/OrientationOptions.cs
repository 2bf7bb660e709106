using System.ComponentModel;
using Pipeline.Core.Imaging.Geometry;
using Pipeline.Core.Plugins;
using YamlDotNet.Serialization;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>orientation</c> (MONAI's <c>Orientationd</c>).</summary>
public sealed class OrientationOptions : IValidatableOptions
{
    /// <summary>Target axis codes, one letter per index axis (default <c>RAS</c>).</summary>
    [YamlMember(Alias = "axcodes")]
    [Description("Target axis codes, e.g. RAS (default) or LPS.")]
    public string AxisCodes { get; set; } = "RAS";

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (!Orientation.TryParseAxisCodes(AxisCodes, out _, out var problem)) yield return ("axcodes", problem!);
    }
}
