namespace Pipeline.Core.Manifest;

/// <summary>Converts scalar text to the value of a scalar-shaped option type.</summary>
internal static class ScalarParser
{
    /// <summary>
    /// Parses <paramref name="text"/> as <paramref name="descriptor"/>'s type. On failure <paramref name="problem"/>
    /// holds a specific message when there is one (e.g. an integer out of range), else null for the generic
    /// "expected ..., got ..." message.
    /// </summary>
    public static bool TryParse(ValueDescriptor descriptor, string text, out object? value, out string? problem)
    {
        problem = null;
        value = null;
        switch (descriptor.Shape)
        {
            case ValueShape.String:
                value = text;
                return true;
            case ValueShape.Boolean when YamlScalars.TryParseBoolean(text, out var flag):
                value = flag;
                return true;
            case ValueShape.Int64 when YamlScalars.TryParseInt64(text, out var wide):
                value = wide;
                return true;
            case ValueShape.Int32 when YamlScalars.TryParseInt64(text, out var wide):
                if (wide is < int.MinValue or > int.MaxValue)
                {
                    problem = $"expected an integer between {int.MinValue} and {int.MaxValue}, got '{text}'";
                    return false;
                }
                value = (int)wide;
                return true;
            case ValueShape.Double when YamlScalars.TryParseDouble(text, out var number):
                value = number;
                return true;
            case ValueShape.Single when YamlScalars.TryParseSingle(text, out var single):
                value = single;
                return true;
            case ValueShape.Enum:
                return TryParseEnum(descriptor, text, out value);
            default:
                return false;
        }
    }

    // snake_case or kebab-case of the member name, any letter case: "instance_norm", "Instance-Norm".
    private static bool TryParseEnum(ValueDescriptor descriptor, string text, out object? value)
    {
        var wanted = text.Replace('-', '_').ToLowerInvariant();
        foreach (var name in Enum.GetNames(descriptor.CoreType))
        {
            if (SnakeCase.From(name) == wanted)
            {
                value = Enum.Parse(descriptor.CoreType, name);
                return true;
            }
        }
        value = null;
        return false;
    }
}
