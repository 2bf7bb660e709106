using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_flip</c> (MONAI's <c>RandFlipd</c>).</summary>
public sealed class RandFlipOptions : IValidatableOptions
{
    /// <summary>Probability of flipping a sample (default 0.1).</summary>
    [Description("Probability of flipping a sample (default 0.1).")]
    public double Prob { get; set; } = 0.1;

    /// <summary>Spatial axes flipped together when the flip happens (0 = i, 1 = j, 2 = k); null (default) flips all three.</summary>
    [Description("Spatial axes flipped together (0 = i, 1 = j, 2 = k); default all three.")]
    public int[]? SpatialAxis { get; set; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate() =>
        TransformOptionChecks.Probability("prob", Prob)
            .Concat(SpatialAxis is null ? [] : TransformOptionChecks.Axes("spatial_axis", SpatialAxis, 1, 3));
}
