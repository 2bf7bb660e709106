using System.Globalization;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Reads and writes scalar text for the option types, in one place so that what the writer emits is exactly what the
/// binder reads back. Numbers use the invariant culture; floats use YAML's <c>.inf</c>/<c>.nan</c> spellings.
/// </summary>
internal static class YamlScalars
{
    /// <summary>YAML 1.2 booleans: true/false in any letter case.</summary>
    public static bool TryParseBoolean(string text, out bool value)
    {
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }
        value = false;
        return string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decimal integers with an optional sign.</summary>
    public static bool TryParseInt64(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Decimal or exponent notation, or <c>.inf</c>, <c>-.inf</c>, <c>.nan</c>.</summary>
    public static bool TryParseDouble(string text, out double value)
    {
        if (TryParseSpecial(text, out value))
            return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
               && (!double.IsInfinity(value) || LooksInfinite(text));
    }

    /// <summary>Like <see cref="TryParseDouble"/>, parsed directly as a float so the value is the nearest float.</summary>
    public static bool TryParseSingle(string text, out float value)
    {
        if (TryParseSpecial(text, out var special))
        {
            value = (float)special;
            return true;
        }
        // A finite literal beyond float's range parses to infinity; that is an error, not a value.
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
               && (!float.IsInfinity(value) || LooksInfinite(text));
    }

    /// <summary>Shortest text that parses back to the same double.</summary>
    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => ".inf",
        double.NegativeInfinity => "-.inf",
        _ when double.IsNaN(value) => ".nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Shortest text that parses back to the same float.</summary>
    public static string FormatSingle(float value) => value switch
    {
        float.PositiveInfinity => ".inf",
        float.NegativeInfinity => "-.inf",
        _ when float.IsNaN(value) => ".nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// True when a plain scalar with this text would be read as something other than a string (null, a boolean, a
    /// number) by this binder or by common YAML tools, so the writer must quote it.
    /// </summary>
    public static bool NeedsQuotesAsString(string text) =>
        text.Length == 0
        || text is "~" or "null" or "Null" or "NULL"
        || TryParseBoolean(text, out _)
        || text.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n"
        || TryParseDouble(text, out _);

    private static bool TryParseSpecial(string text, out double value)
    {
        value = text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => 0,
        };
        return value != 0 || double.IsNaN(value);
    }

    private static bool LooksInfinite(string text) =>
        text.Contains("Infinity", StringComparison.OrdinalIgnoreCase) || text.Contains('∞');
}
