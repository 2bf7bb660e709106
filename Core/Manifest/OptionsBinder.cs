using System.Collections;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Creates an options object and fills its public settable properties from a YAML mapping; keys are the snake_case
/// property names (see <see cref="SnakeCase"/>) or a <c>[YamlMember(Alias = ...)]</c>. Absent keys keep the class's
/// defaults; a nested options mapping is bound into the default instance when there is one, so its absent keys keep
/// their defaults too; lists and dictionaries are replaced as a whole. Every problem is reported to the
/// <see cref="ManifestDiagnostics"/> with its location, and binding goes on so that all problems are found.
/// Only declared property types are instantiated; YAML tags are ignored and can never select a type.
/// </summary>
/// <remarks>
/// Scalars are read by their text whatever their quoting (so <c>"5"</c> binds to an int and <c>5</c> to a string);
/// null is an untagged plain empty, <c>~</c> or <c>null</c>. Enum values are the snake_case or kebab-case of the
/// member name, in any letter case. There is no broadcasting: a list option needs a YAML sequence.
/// </remarks>
public sealed class OptionsBinder
{
    private readonly ManifestDiagnostics diagnostics;
    private readonly OptionsValidator validator;

    /// <param name="diagnostics">Receives every problem found.</param>
    public OptionsBinder(ManifestDiagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
        validator = new OptionsValidator(diagnostics);
    }

    /// <summary>
    /// Creates an <paramref name="optionsType"/> and binds <paramref name="options"/> into it, then checks
    /// <c>[Required]</c>, <c>[Range]</c> and the other data annotations, and runs
    /// <see cref="Plugins.IValidatableOptions.Validate"/> when the object bound without errors.
    /// </summary>
    /// <param name="optionsType">The plugin's options class (public parameterless constructor).</param>
    /// <param name="options">The YAML mapping; null (key absent) or YAML null binds the defaults.</param>
    /// <param name="owner">Where to point when <paramref name="options"/> is absent, e.g. the plugin section.</param>
    /// <param name="path">Key path of <paramref name="options"/>, e.g. <c>stages[0].options</c>.</param>
    /// <returns>The instance (even when problems were reported) and the reference options found in it.</returns>
    /// <exception cref="InvalidOperationException">The options class itself cannot be bound (a plugin bug).</exception>
    public BoundOptions Bind(Type optionsType, YamlNode? options, YamlNode owner, string path)
    {
        var references = new List<OptionReference>();
        var value = BindObject(OptionsSchema.For(optionsType), options, owner, path, existing: null, references);
        return new BoundOptions(value, references);
    }

    /// <summary>
    /// Reads a single value of <paramref name="valueType"/> (any type an option may have) from <paramref name="node"/>.
    /// YAML null is accepted only for <see cref="Nullable{T}"/> types.
    /// </summary>
    /// <returns>False, with the problem reported, when the node does not hold such a value.</returns>
    /// <exception cref="ArgumentException"><paramref name="valueType"/> is not a supported option type.</exception>
    public bool TryBindValue(Type valueType, YamlNode node, string path, out object? value)
    {
        var descriptor = ValueDescriptor.Describe(valueType)
            ?? throw new ArgumentException($"Options cannot hold values of type {valueType}.", nameof(valueType));
        return TryBind(descriptor, descriptor.IsNullableValueType, node, path, existing: null, [], out value);
    }

    private object BindObject(
        OptionsSchema schema, YamlNode? node, YamlNode owner, string path, object? existing,
        List<OptionReference> references)
    {
        var instance = existing ?? schema.CreateInstance();
        if (node is not null && !YamlNodes.IsNull(node) && node is not YamlMappingNode)
        {
            diagnostics.Report(node, path, $"expected a mapping of options, got {YamlNodes.Describe(node)}");
            return instance;
        }

        var mapping = node as YamlMappingNode;
        var anchor = node ?? owner;
        var errorsBefore = diagnostics.Errors.Count;
        var written = new Dictionary<string, MappingEntry>(StringComparer.Ordinal);
        var failedKeys = new HashSet<string>(StringComparer.Ordinal);
        if (mapping is not null)
        {
            foreach (var entry in YamlNodes.Entries(mapping, path, diagnostics))
            {
                var keyPath = KeyPath.Key(path, entry.Key);
                var property = schema.Find(entry.Key);
                if (property is null)
                {
                    diagnostics.Report(entry.KeyNode, keyPath, KeySuggestions.UnknownKey(entry.Key, schema.Keys));
                    continue;
                }
                written[entry.Key] = entry;
                var current = property.Property.GetValue(instance);
                if (TryBind(property.Value, property.AllowsNull, entry.Value, keyPath, current, references, out var value))
                    property.Property.SetValue(instance, value);
                else
                    failedKeys.Add(entry.Key);
            }
        }

        var context = new BoundObject(schema, instance, mapping, anchor, path, written, failedKeys);
        validator.Check(context, boundCleanly: diagnostics.Errors.Count == errorsBefore);
        CollectReferences(context, references);
        return instance;
    }

    private bool TryBind(
        ValueDescriptor descriptor, bool allowsNull, YamlNode node, string path, object? existing,
        List<OptionReference> references, out object? value)
    {
        value = null;
        if (YamlNodes.IsNull(node))
            return allowsNull || Mismatch(descriptor, node, path);

        switch (descriptor.Shape)
        {
            case ValueShape.Sequence:
                return TryBindSequence(descriptor, node, path, references, out value);
            case ValueShape.Dictionary:
                return TryBindDictionary(descriptor, node, path, references, out value);
            case ValueShape.Object when node is YamlMappingNode:
                value = BindObject(OptionsSchema.For(descriptor.CoreType), node, node, path, existing, references);
                return true;
            case ValueShape.Object:
                return Mismatch(descriptor, node, path);
        }

        if (node is not YamlScalarNode { Value: var text })
            return Mismatch(descriptor, node, path);
        if (ScalarParser.TryParse(descriptor, text ?? "", out value, out var problem))
            return true;
        diagnostics.Report(node, path, problem ?? Expected(descriptor, node));
        return false;
    }

    private bool TryBindSequence(
        ValueDescriptor descriptor, YamlNode node, string path, List<OptionReference> references, out object? value)
    {
        value = null;
        if (node is not YamlSequenceNode sequence)
            return Mismatch(descriptor, node, path);

        var element = descriptor.Element!;
        var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element.DeclaredType))!;
        var allBound = true;
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            var itemPath = KeyPath.Index(path, index);
            if (TryBind(element, element.IsNullableValueType, sequence.Children[index], itemPath, null, references, out var item))
                items.Add(item);
            else
                allBound = false;
        }
        if (!allBound)
            return false;

        if (descriptor.DeclaredType.IsArray)
        {
            var array = Array.CreateInstance(element.DeclaredType, items.Count);
            items.CopyTo(array, 0);
            value = array;
        }
        else
        {
            value = items;
        }
        return true;
    }

    private bool TryBindDictionary(
        ValueDescriptor descriptor, YamlNode node, string path, List<OptionReference> references, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode mapping)
            return Mismatch(descriptor, node, path);

        var element = descriptor.Element!;
        var dictionaryType = typeof(Dictionary<,>).MakeGenericType(typeof(string), element.DeclaredType);
        var entries = (IDictionary)Activator.CreateInstance(dictionaryType)!;
        var allBound = true;
        foreach (var entry in YamlNodes.Entries(mapping, path, diagnostics))
        {
            var entryPath = KeyPath.Key(path, entry.Key);
            if (TryBind(element, element.IsNullableValueType, entry.Value, entryPath, null, references, out var item))
                entries.Add(entry.Key, item);
            else
                allBound = false;
        }
        value = entries;
        return allBound;
    }

    private void CollectReferences(BoundObject bound, List<OptionReference> references)
    {
        foreach (var property in bound.Schema.Properties)
        {
            if (property.Reference is not { } target || bound.FailedKeys.Contains(property.Key))
                continue;
            var keyPath = KeyPath.Key(bound.Path, property.Key);
            var valueNode = bound.Written.TryGetValue(property.Key, out var entry) ? entry.Value : null;
            switch (property.Property.GetValue(bound.Instance))
            {
                case string name when name.Length > 0:
                    references.Add(new OptionReference(target, name, Locate(valueNode ?? bound.Anchor), keyPath));
                    break;
                case IEnumerable<string> names:
                    var index = 0;
                    foreach (var name in names)
                    {
                        var itemNode = valueNode is YamlSequenceNode sequence && index < sequence.Children.Count
                            ? sequence.Children[index]
                            : bound.Anchor;
                        if (!string.IsNullOrEmpty(name))
                            references.Add(new OptionReference(target, name, Locate(itemNode), KeyPath.Index(keyPath, index)));
                        index++;
                    }
                    break;
            }
        }
    }

    private SourceLocation Locate(YamlNode node) => diagnostics.Locator.Locate(node);

    private bool Mismatch(ValueDescriptor descriptor, YamlNode node, string path)
    {
        diagnostics.Report(node, path, Expected(descriptor, node));
        return false;
    }

    private static string Expected(ValueDescriptor descriptor, YamlNode node) =>
        $"expected {descriptor.Expectation}, got {YamlNodes.Describe(node)}";
}

/// <summary>One options object after its keys were bound: what the validator and reference collector look at.</summary>
/// <param name="Schema">The options class's schema.</param>
/// <param name="Instance">The bound instance.</param>
/// <param name="Mapping">The YAML mapping it was bound from; null when absent or YAML null.</param>
/// <param name="Anchor">Where to point for problems without a key of their own (the mapping, or its owner).</param>
/// <param name="Path">Key path of the mapping.</param>
/// <param name="Written">Entries present in the YAML, by key.</param>
/// <param name="FailedKeys">Keys whose values could not be bound (their other checks are skipped).</param>
internal sealed record BoundObject(
    OptionsSchema Schema,
    object Instance,
    YamlMappingNode? Mapping,
    YamlNode Anchor,
    string Path,
    IReadOnlyDictionary<string, MappingEntry> Written,
    IReadOnlySet<string> FailedKeys);
