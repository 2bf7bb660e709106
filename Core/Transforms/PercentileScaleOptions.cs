using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>percentile_scale</c> (MONAI's <c>ScaleIntensityRangePercentilesd</c>, without <c>relative</c>).</summary>
public sealed class PercentileScaleOptions : IntensityOptions, IValidatableOptions
{
    /// <summary>Percentile (0..100) mapped to <see cref="BMin"/> (default 0.5).</summary>
    [Description("Percentile (0..100) mapped to b_min (default 0.5).")]
    public double Lower { get; set; } = 0.5;

    /// <summary>Percentile (0..100) mapped to <see cref="BMax"/> (default 99.5).</summary>
    [Description("Percentile (0..100) mapped to b_max (default 99.5).")]
    public double Upper { get; set; } = 99.5;

    /// <summary>Output value for the lower percentile (default 0).</summary>
    [Description("Output value for the lower percentile (default 0).")]
    public double BMin { get; set; }

    /// <summary>Output value for the upper percentile (default 1).</summary>
    [Description("Output value for the upper percentile (default 1).")]
    public double BMax { get; set; } = 1;

    /// <summary>Clip the output to [b_min, b_max] (default false).</summary>
    [Description("Clip the output to [b_min, b_max] (default false).")]
    public bool Clip { get; set; }

    /// <summary>Percentiles of each channel separately (default false: of all channels together).</summary>
    [Description("Percentiles per channel instead of over all channels.")]
    public bool ChannelWise { get; set; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in TransformOptionChecks.Keys("keys", Keys)
                     .Concat(TransformOptionChecks.Finite("b_min", BMin)).Concat(TransformOptionChecks.Finite("b_max", BMax)))
            yield return problem;
        if (!(Lower >= 0 && Lower <= 100)) yield return ("lower", $"must be a percentile in [0, 100], got {Lower}");
        if (!(Upper >= 0 && Upper <= 100)) yield return ("upper", $"must be a percentile in [0, 100], got {Upper}");
        else if (Upper <= Lower) yield return ("upper", $"must be greater than lower ({Lower}), got {Upper}");
    }
}
