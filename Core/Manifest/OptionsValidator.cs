using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Pipeline.Core.Plugins;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Checks one bound options object: required keys present, data annotations satisfied for the keys that were
/// written (class defaults are the plugin's responsibility), then the object's own
/// <see cref="IValidatableOptions.Validate"/>.
/// </summary>
internal sealed class OptionsValidator(ManifestDiagnostics diagnostics)
{
    /// <param name="bound">The object and what was written for it.</param>
    /// <param name="boundCleanly">
    /// False when binding already reported problems in this object; its own validation then stays silent, because
    /// it would judge half-bound values.
    /// </param>
    public void Check(BoundObject bound, bool boundCleanly)
    {
        foreach (var property in bound.Schema.Properties)
        {
            var keyPath = KeyPath.Key(bound.Path, property.Key);
            if (!bound.Written.TryGetValue(property.Key, out var entry))
            {
                if (property.IsRequired)
                    diagnostics.Report(bound.Anchor, keyPath, $"missing required key '{property.Key}'");
                continue;
            }
            if (!bound.FailedKeys.Contains(property.Key))
                CheckAnnotations(property, property.Property.GetValue(bound.Instance), entry.Value, keyPath);
        }

        if (boundCleanly && bound.Instance is IValidatableOptions validatable)
        {
            foreach (var (key, message) in validatable.Validate())
            {
                var node = FindByDottedKey(bound.Mapping, key) ?? bound.Anchor;
                diagnostics.Report(node, key.Length == 0 ? bound.Path : KeyPath.Key(bound.Path, key), message);
            }
        }
    }

    private void CheckAnnotations(OptionsProperty property, object? value, YamlNode node, string path)
    {
        foreach (var check in property.Checks)
        {
            switch (check)
            {
                case RequiredAttribute required when !required.IsValid(value):
                    diagnostics.Report(node, path, value is null ? "a value is required, got null" : "must not be empty");
                    break;
                case RequiredAttribute:
                    break;
                case RangeAttribute range:
                    CheckRange(range, value, node, path);
                    break;
                default:
                    if (!check.IsValid(value))
                        diagnostics.Report(node, path, check.FormatErrorMessage(property.Key));
                    break;
            }
        }
    }

    // A [Range] on a list applies to each element.
    private void CheckRange(RangeAttribute range, object? value, YamlNode node, string path)
    {
        switch (value)
        {
            case null:
                return;
            case IList items:
                for (var index = 0; index < items.Count; index++)
                {
                    var itemNode = node is YamlSequenceNode sequence && index < sequence.Children.Count
                        ? sequence.Children[index]
                        : node;
                    CheckRange(range, items[index], itemNode, KeyPath.Index(path, index));
                }
                return;
            default:
                if (!range.IsValid(value))
                    diagnostics.Report(node, path, RangeMessage(range, value));
                return;
        }
    }

    private static string RangeMessage(RangeAttribute range, object value)
    {
        var lower = range.MinimumIsExclusive ? $"greater than {Format(range.Minimum)}" : $"at least {Format(range.Minimum)}";
        var upper = range.MaximumIsExclusive ? $"less than {Format(range.Maximum)}" : $"at most {Format(range.Maximum)}";
        return $"must be {lower} and {upper}, got {Format(value)}";
    }

    private static string Format(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";

    // IValidatableOptions may name a nested key as "augment.flip_axes".
    private static YamlNode? FindByDottedKey(YamlMappingNode? mapping, string key)
    {
        if (mapping is null || key.Length == 0)
            return null;
        YamlNode? current = mapping;
        foreach (var segment in key.Split('.'))
        {
            current = current is YamlMappingNode inner ? YamlNodes.Child(inner, segment) : null;
            if (current is null)
                return null;
        }
        return current;
    }
}
