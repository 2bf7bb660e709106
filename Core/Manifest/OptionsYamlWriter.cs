using System.Collections;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Turns bound option values back into YAML nodes, using the same schema and scalar spellings the binder reads:
/// properties in declaration order under their snake_case keys, enums as snake_case, floats in shortest round-trip
/// form, strings quoted when they would otherwise read as null, a boolean or a number.
/// </summary>
internal static class OptionsYamlWriter
{
    /// <summary>The mapping of every bindable property of <paramref name="options"/>.</summary>
    /// <param name="options">The bound options object.</param>
    /// <param name="optionsType">
    /// The type the binder will read the mapping as: the plugin's options type, or a nested property's declared type
    /// (so a subclass instance in a default cannot write keys the binder would reject).
    /// </param>
    public static YamlMappingNode ToMapping(object options, Type optionsType)
    {
        var schema = OptionsSchema.For(optionsType);
        var mapping = new YamlMappingNode();
        foreach (var property in schema.Properties)
            mapping.Add(property.Key, ToNode(property.Property.GetValue(options), property.Value));
        return mapping;
    }

    /// <summary>A scalar node that reads back as the string <paramref name="text"/>.</summary>
    public static YamlScalarNode String(string text) =>
        new(text) { Style = YamlScalars.NeedsQuotesAsString(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

    private static YamlNode ToNode(object? value, ValueDescriptor descriptor)
    {
        if (value is null)
            return new YamlScalarNode("~");
        return descriptor.Shape switch
        {
            ValueShape.String => String((string)value),
            ValueShape.Boolean => new YamlScalarNode((bool)value ? "true" : "false"),
            ValueShape.Int32 or ValueShape.Int64 => new YamlScalarNode(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
            ValueShape.Single => new YamlScalarNode(YamlScalars.FormatSingle((float)value)),
            ValueShape.Double => new YamlScalarNode(YamlScalars.FormatDouble((double)value)),
            ValueShape.Enum => new YamlScalarNode(EnumText(value)),
            ValueShape.Sequence => ToSequence((IEnumerable)value, descriptor.Element!),
            ValueShape.Dictionary => ToDictionary((IEnumerable)value, descriptor.Element!),
            _ => ToMapping(value, descriptor.CoreType),
        };
    }

    // Short lists of scalars read best on one line: feature_sizes: [16, 32, 64, 128].
    private static YamlSequenceNode ToSequence(IEnumerable items, ValueDescriptor element)
    {
        var sequence = new YamlSequenceNode();
        foreach (var item in items)
            sequence.Add(ToNode(item, element));
        if (sequence.Children.All(child => child is YamlScalarNode))
            sequence.Style = SequenceStyle.Flow;
        return sequence;
    }

    // Keys keep the dictionary's order, which for bound dictionaries is the order they were written in.
    private static YamlMappingNode ToDictionary(IEnumerable entries, ValueDescriptor element)
    {
        var mapping = new YamlMappingNode();
        foreach (var entry in entries)
        {
            var entryType = entry!.GetType();
            var key = (string)entryType.GetProperty("Key")!.GetValue(entry)!;
            mapping.Add(String(key), ToNode(entryType.GetProperty("Value")!.GetValue(entry), element));
        }
        return mapping;
    }

    private static string EnumText(object value)
    {
        var name = Enum.GetName(value.GetType(), value)
            ?? throw new InvalidOperationException(
                $"Enum value {value} is not a named member of {value.GetType().Name} and cannot be written as YAML.");
        return SnakeCase.From(name);
    }
}
