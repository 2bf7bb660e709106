using System.Globalization;
using Pipeline.Cli.Cli;

namespace Pipeline.Cli.Commands;

/// <summary>Parsing of numeric option values shared by the diagnostic and benchmark commands.</summary>
public static class CommandLineNumbers
{
    /// <summary>The comma-separated integers of <c>--<paramref name="option"/></c>, or null when it is absent.</summary>
    public static int[]? Ints(CommandLine line, string option)
    {
        string? text = line.Value(option);
        if (text is null) return null;
        try
        {
            return text.Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new CommandLineException($"--{option}: expected comma-separated integers, got '{text}'.");
        }
    }

    /// <summary>The single integer of <c>--<paramref name="option"/></c>, or null when it is absent.</summary>
    public static int? Int(CommandLine line, string option) => Ints(line, option) is { } values
        ? values.Length == 1 ? values[0] : throw new CommandLineException($"--{option}: expected one integer.")
        : null;

    /// <summary>The number of <c>--<paramref name="option"/></c>, or null when it is absent.</summary>
    public static double? Double(CommandLine line, string option)
    {
        string? text = line.Value(option);
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new CommandLineException($"--{option}: expected a number, got '{text}'.");
    }
}
