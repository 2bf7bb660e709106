namespace Pipeline.Core.Training;

/// <summary>JSON has no NaN or infinity: undefined metric values are written as null.</summary>
internal static class JsonNumber
{
    /// <summary><paramref name="value"/>, or null when it is NaN or infinite.</summary>
    public static double? OrNull(double value) => double.IsFinite(value) ? value : null;
}
