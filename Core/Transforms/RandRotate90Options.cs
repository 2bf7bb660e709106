using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>rand_rotate90</c> (MONAI's <c>RandRotate90d</c>).</summary>
public sealed class RandRotate90Options : IValidatableOptions
{
    /// <summary>Probability of rotating a sample (default 0.1).</summary>
    [Description("Probability of rotating a sample (default 0.1).")]
    public double Prob { get; set; } = 0.1;

    /// <summary>The number of quarter turns is drawn uniformly from 1..max_k (default 3).</summary>
    [Description("Quarter turns are drawn uniformly from 1..max_k (default 3).")]
    public int MaxK { get; set; } = 3;

    /// <summary>The two spatial axes of the rotation plane, turning from the first towards the second (default [0, 1]).</summary>
    [Description("The two spatial axes of the rotation plane (default [0, 1]).")]
    public int[] SpatialAxes { get; set; } = [0, 1];

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in TransformOptionChecks.Probability("prob", Prob).Concat(TransformOptionChecks.Axes("spatial_axes", SpatialAxes, 2, 2)))
            yield return problem;
        if (MaxK < 1) yield return ("max_k", $"must be at least 1, got {MaxK}");
    }
}
