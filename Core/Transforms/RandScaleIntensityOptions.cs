using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_scale_intensity</c> (MONAI's <c>RandScaleIntensityd</c>).</summary>
public sealed class RandScaleIntensityOptions : IntensityOptions, IValidatableOptions
{
    /// <summary>Probability of scaling a sample (default 0.1).</summary>
    [Description("Probability of scaling a sample (default 0.1).")]
    public double Prob { get; set; } = 0.1;

    /// <summary>Values are multiplied by 1 + f with f uniform in [−factors, factors) (default 0.1).</summary>
    [Description("Factor range: values are multiplied by 1 + f, f uniform in [-factors, factors) (default 0.1).")]
    public double Factors { get; set; } = 0.1;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate() =>
        TransformOptionChecks.Keys("keys", Keys)
            .Concat(TransformOptionChecks.Probability("prob", Prob))
            .Concat(TransformOptionChecks.NonNegative("factors", Factors));
}
