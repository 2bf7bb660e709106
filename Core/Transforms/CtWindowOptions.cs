using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>
/// Options of <c>ct_window</c> (MONAI's <c>ScaleIntensityRanged</c>). Defaults are the abdominal CT window of the
/// 3D UX-Net and RepUX-Net training scripts: −125..275 HU → 0..1, clipped.
/// </summary>
public sealed class CtWindowOptions : IntensityOptions, IValidatableOptions
{
    /// <summary>Input value mapped to <see cref="BMin"/> (default −125).</summary>
    [Description("Input value mapped to b_min (default -125 HU).")]
    public double AMin { get; set; } = -125;

    /// <summary>Input value mapped to <see cref="BMax"/> (default 275); must differ from <see cref="AMin"/>.</summary>
    [Description("Input value mapped to b_max (default 275 HU).")]
    public double AMax { get; set; } = 275;

    /// <summary>Output value for <see cref="AMin"/> (default 0).</summary>
    [Description("Output value for a_min (default 0).")]
    public double BMin { get; set; }

    /// <summary>Output value for <see cref="AMax"/> (default 1).</summary>
    [Description("Output value for a_max (default 1).")]
    public double BMax { get; set; } = 1;

    /// <summary>Clip the output to [b_min, b_max] (default true).</summary>
    [Description("Clip the output to [b_min, b_max] (default true).")]
    public bool Clip { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        var problems = TransformOptionChecks.Keys("keys", Keys)
            .Concat(TransformOptionChecks.Finite("a_min", AMin)).Concat(TransformOptionChecks.Finite("a_max", AMax))
            .Concat(TransformOptionChecks.Finite("b_min", BMin)).Concat(TransformOptionChecks.Finite("b_max", BMax));
        foreach (var problem in problems) yield return problem;
        if (AMax == AMin) yield return ("a_max", $"must differ from a_min ({AMin}); the window would have no width");
    }
}
