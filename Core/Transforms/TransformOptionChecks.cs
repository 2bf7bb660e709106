using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Checks shared by the transforms' options classes, worded for YAML keys.</summary>
internal static class TransformOptionChecks
{
    /// <summary>Throws when <paramref name="options"/> reports problems; used by constructors, so code-built transforms are checked like YAML-built ones.</summary>
    /// <exception cref="ArgumentException">Lists every problem as <c>key: message</c>.</exception>
    public static void ThrowIfInvalid(string transformName, IValidatableOptions options)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"transform '{transformName}': " + string.Join("; ", problems.Select(problem => $"{problem.Key}: {problem.Message}")));
    }

    /// <summary>A probability in [0, 1].</summary>
    public static IEnumerable<(string, string)> Probability(string key, double value)
    {
        if (!(value >= 0 && value <= 1)) yield return (key, $"must be a probability in [0, 1], got {value}");
    }

    /// <summary>A finite number.</summary>
    public static IEnumerable<(string, string)> Finite(string key, double value)
    {
        if (!double.IsFinite(value)) yield return (key, $"must be a finite number, got {value}");
    }

    /// <summary>A finite number ≥ 0.</summary>
    public static IEnumerable<(string, string)> NonNegative(string key, double value)
    {
        if (!(double.IsFinite(value) && value >= 0)) yield return (key, $"must be a finite number >= 0, got {value}");
    }

    /// <summary>Three sizes of at least 1 voxel.</summary>
    public static IEnumerable<(string, string)> SpatialSize(string key, IReadOnlyList<int>? size)
    {
        if (size is null || size.Count != 3 || size.Any(extent => extent < 1))
            yield return (key, $"must be three sizes in voxels, each >= 1, got [{string.Join(", ", size ?? [])}]");
    }

    /// <summary>A list of one value (used for all three axes) or three values, each finite and ≥ 0.</summary>
    public static IEnumerable<(string, string)> PerAxisRange(string key, IReadOnlyList<double>? values)
    {
        if (values is null || values.Count is not (1 or 3) || values.Any(value => !(double.IsFinite(value) && value >= 0)))
            yield return (key, $"must be one value for all axes or three values (i, j, k), each finite and >= 0, got [{string.Join(", ", values ?? [])}]");
    }

    /// <summary>Distinct spatial axes in 0..2, at least <paramref name="minimum"/> and at most <paramref name="maximum"/> of them.</summary>
    public static IEnumerable<(string, string)> Axes(string key, IReadOnlyList<int>? axes, int minimum, int maximum)
    {
        if (axes is null || axes.Count < minimum || axes.Count > maximum || axes.Any(axis => axis is < 0 or > 2) || axes.Distinct().Count() != axes.Count)
        {
            var count = minimum == maximum ? $"{minimum}" : $"{minimum} to {maximum}";
            yield return (key, $"must be {count} distinct spatial axes from 0 (i), 1 (j), 2 (k), got [{string.Join(", ", axes ?? [])}]");
        }
    }

    /// <summary>Volume names: null (the transform's default) or a non-empty list of non-empty names.</summary>
    public static IEnumerable<(string, string)> Keys(string key, IReadOnlyList<string>? keys)
    {
        if (keys is not null && (keys.Count == 0 || keys.Any(string.IsNullOrWhiteSpace)))
            yield return (key, $"must name at least one volume and no empty names, got [{string.Join(", ", keys)}]");
    }

    /// <summary>Expands a one-or-three-value option to three values.</summary>
    public static double[] ThreeAxes(IReadOnlyList<double> values) => values.Count == 1 ? [values[0], values[0], values[0]] : values.ToArray();
}
