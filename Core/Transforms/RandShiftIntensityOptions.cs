using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_shift_intensity</c> (MONAI's <c>RandShiftIntensityd</c>).</summary>
public sealed class RandShiftIntensityOptions : IntensityOptions, IValidatableOptions
{
    /// <summary>Probability of shifting a sample (default 0.1).</summary>
    [Description("Probability of shifting a sample (default 0.1).")]
    public double Prob { get; set; } = 0.1;

    /// <summary>The offset is drawn uniformly from [−offsets, offsets) (default 0.1).</summary>
    [Description("Offset range: the shift is uniform in [-offsets, offsets) (default 0.1).")]
    public double Offsets { get; set; } = 0.1;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate() =>
        TransformOptionChecks.Keys("keys", Keys)
            .Concat(TransformOptionChecks.Probability("prob", Prob))
            .Concat(TransformOptionChecks.NonNegative("offsets", Offsets));
}
