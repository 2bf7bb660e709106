using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using Pipeline.Core.Plugins;
using YamlDotNet.Serialization;

namespace Pipeline.Core.Manifest;

/// <summary>One bindable property of an options class.</summary>
internal sealed class OptionsProperty
{
    public OptionsProperty(PropertyInfo property, string key, ValueDescriptor value, bool allowsNull)
    {
        Property = property;
        Key = key;
        Value = value;
        AllowsNull = allowsNull;
        IsRequired = property.IsDefined(typeof(RequiredAttribute)) || property.IsDefined(typeof(RequiredMemberAttribute));
        Checks = property.GetCustomAttributes<ValidationAttribute>().ToList();
        Reference = property.IsDefined(typeof(DatasetReferenceAttribute)) ? ReferenceTarget.Dataset
            : property.IsDefined(typeof(StageReferenceAttribute)) ? ReferenceTarget.Stage
            : null;
    }

    /// <summary>The CLR property.</summary>
    public PropertyInfo Property { get; }

    /// <summary>The YAML key: the <c>[YamlMember]</c> alias, else the snake_case of the property name.</summary>
    public string Key { get; }

    /// <summary>How the value is read and written.</summary>
    public ValueDescriptor Value { get; }

    /// <summary>
    /// Whether YAML null is accepted: for nullable value types, and for reference types not annotated as non-nullable.
    /// </summary>
    public bool AllowsNull { get; }

    /// <summary>The key must be written (<c>[Required]</c> or the C# <c>required</c> modifier).</summary>
    public bool IsRequired { get; }

    /// <summary>The property's data-annotation checks (<c>[Required]</c>, <c>[Range]</c>, ...).</summary>
    public IReadOnlyList<ValidationAttribute> Checks { get; }

    /// <summary>Set when the value names a dataset or an earlier stage.</summary>
    public ReferenceTarget? Reference { get; }
}

/// <summary>
/// The bindable properties of an options class (public, instance, with a public setter, not indexers), in
/// declaration order with base-class properties first, and their YAML keys. Rejects classes the binder cannot build
/// (no public parameterless constructor, unsupported property types, two properties with the same key): those are
/// plugin bugs, reported with <see cref="InvalidOperationException"/> rather than as manifest errors.
/// </summary>
internal sealed class OptionsSchema
{
    private readonly Dictionary<string, OptionsProperty> byKey;

    private OptionsSchema(Type optionsType, IReadOnlyList<OptionsProperty> properties)
    {
        OptionsType = optionsType;
        Properties = properties;
        byKey = properties.ToDictionary(property => property.Key, StringComparer.Ordinal);
    }

    /// <summary>The options class.</summary>
    public Type OptionsType { get; }

    /// <summary>Bindable properties in the order the writer emits them.</summary>
    public IReadOnlyList<OptionsProperty> Properties { get; }

    /// <summary>All keys, in order, for "valid keys" lists.</summary>
    public IReadOnlyList<string> Keys => Properties.Select(property => property.Key).ToList();

    /// <summary>The property bound to <paramref name="key"/>, or null.</summary>
    public OptionsProperty? Find(string key) => byKey.GetValueOrDefault(key);

    /// <summary>A new instance holding the class's defaults.</summary>
    public object CreateInstance() => Activator.CreateInstance(OptionsType)!;

    /// <summary>Reads the schema of <paramref name="optionsType"/>.</summary>
    /// <exception cref="InvalidOperationException">The class cannot be bound (see the class remarks).</exception>
    public static OptionsSchema For(Type optionsType)
    {
        if (optionsType.IsAbstract || optionsType.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException(
                $"Options type {optionsType.FullName} needs to be a concrete class with a public parameterless constructor.");

        var nullability = new NullabilityInfoContext();
        var properties = new List<OptionsProperty>();
        foreach (var property in BindableProperties(optionsType))
        {
            var descriptor = ValueDescriptor.Describe(property.PropertyType)
                ?? throw new InvalidOperationException(
                    $"Option {optionsType.FullName}.{property.Name} has type {property.PropertyType}, which options " +
                    "cannot use. Use string, bool, int, long, float, double, an enum, a nullable of those, T[], " +
                    "List<T>, IReadOnlyList<T>, Dictionary<string, T>, IReadOnlyDictionary<string, T> or a nested options class.");
            var key = property.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? SnakeCase.From(property.Name);
            var allowsNull = descriptor.IsNullableValueType
                || (!property.PropertyType.IsValueType
                    && nullability.Create(property).WriteState != NullabilityState.NotNull);
            var option = new OptionsProperty(property, key, descriptor, allowsNull);
            CheckReferenceType(optionsType, option);
            properties.Add(option);
        }

        var duplicate = properties.GroupBy(property => property.Key).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Options type {optionsType.FullName} maps several properties to key '{duplicate.Key}': " +
                string.Join(", ", duplicate.Select(property => property.Property.Name)) + ".");
        return new OptionsSchema(optionsType, properties);
    }

    private static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead
                               && property.SetMethod is { IsPublic: true }
                               && property.GetIndexParameters().Length == 0)
            .OrderBy(property => InheritanceDepth(property.DeclaringType!))
            .ThenBy(property => property.MetadataToken);

    private static int InheritanceDepth(Type type)
    {
        var depth = 0;
        for (var current = type.BaseType; current is not null; current = current.BaseType)
            depth++;
        return depth;
    }

    private static void CheckReferenceType(Type optionsType, OptionsProperty option)
    {
        if (option.Reference is null)
            return;
        var value = option.Value;
        var isString = value.Shape == ValueShape.String
                       || value is { Shape: ValueShape.Sequence, Element.Shape: ValueShape.String };
        if (!isString)
            throw new InvalidOperationException(
                $"Option {optionsType.FullName}.{option.Property.Name} is marked as a {option.Reference} reference " +
                "but is not a string or a list of strings.");
    }
}
