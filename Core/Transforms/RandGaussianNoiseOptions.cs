using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_gaussian_noise</c> (MONAI's <c>RandGaussianNoised</c>).</summary>
public sealed class RandGaussianNoiseOptions : IntensityOptions, IValidatableOptions
{
    /// <summary>Probability of adding noise to a sample (default 0.1).</summary>
    [Description("Probability of adding noise to a sample (default 0.1).")]
    public double Prob { get; set; } = 0.1;

    /// <summary>Mean of the noise (default 0).</summary>
    [Description("Mean of the noise (default 0).")]
    public double Mean { get; set; }

    /// <summary>Standard deviation of the noise, or its upper bound when <see cref="SampleStd"/> (default 0.1).</summary>
    [Description("Noise standard deviation, or its upper bound with sample_std (default 0.1).")]
    public double Std { get; set; } = 0.1;

    /// <summary>Draw the standard deviation uniformly from [0, std) per sample (default true, as MONAI).</summary>
    [Description("Draw the standard deviation uniformly from [0, std) per sample (default true).")]
    public bool SampleStd { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate() =>
        TransformOptionChecks.Keys("keys", Keys)
            .Concat(TransformOptionChecks.Probability("prob", Prob))
            .Concat(TransformOptionChecks.Finite("mean", Mean))
            .Concat(TransformOptionChecks.NonNegative("std", Std));
}
