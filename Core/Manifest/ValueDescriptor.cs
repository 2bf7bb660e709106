namespace Pipeline.Core.Manifest;

/// <summary>The forms an option value can take in YAML.</summary>
internal enum ValueShape
{
    String,
    Boolean,
    Int32,
    Int64,
    Single,
    Double,
    Enum,
    Sequence,
    Dictionary,
    Object,
}

/// <summary>
/// How a declared option type is read and written: its shape, whether it is a nullable value type, and for
/// collections the element's descriptor. Built only from declared CLR types, never from anything in the YAML.
/// </summary>
internal sealed class ValueDescriptor
{
    private ValueDescriptor(Type declaredType, Type coreType, ValueShape shape, ValueDescriptor? element)
    {
        DeclaredType = declaredType;
        CoreType = coreType;
        Shape = shape;
        Element = element;
    }

    /// <summary>The type as declared, e.g. <c>int?</c> or <c>List&lt;int&gt;</c>.</summary>
    public Type DeclaredType { get; }

    /// <summary><see cref="DeclaredType"/> without <see cref="Nullable{T}"/>.</summary>
    public Type CoreType { get; }

    /// <summary>The YAML form.</summary>
    public ValueShape Shape { get; }

    /// <summary>Element (sequences) or value (dictionaries) descriptor; null otherwise.</summary>
    public ValueDescriptor? Element { get; }

    /// <summary>True for <see cref="Nullable{T}"/>, whose YAML may be null.</summary>
    public bool IsNullableValueType => DeclaredType != CoreType;

    /// <summary>What a value of this type looks like, for "expected ..." messages.</summary>
    public string Expectation => Shape switch
    {
        ValueShape.String => "a string",
        ValueShape.Boolean => "true or false",
        ValueShape.Int32 or ValueShape.Int64 => "an integer",
        ValueShape.Single or ValueShape.Double => "a number",
        ValueShape.Enum => "one of [" + string.Join(", ", EnumValueNames()) + "]",
        ValueShape.Sequence => "a sequence",
        _ => "a mapping",
    };

    /// <summary>The YAML spellings (snake_case) of the enum's members, in declaration order.</summary>
    public IEnumerable<string> EnumValueNames() => Enum.GetNames(CoreType).Select(SnakeCase.From);

    /// <summary>
    /// The descriptor of <paramref name="declaredType"/>, or null when options cannot use that type. Supported:
    /// string, bool, int, long, float, double, enums, their nullable forms, <c>T[]</c>, <c>List&lt;T&gt;</c>,
    /// <c>IReadOnlyList&lt;T&gt;</c>, <c>Dictionary&lt;string, T&gt;</c>, <c>IReadOnlyDictionary&lt;string, T&gt;</c>
    /// and nested options classes (non-abstract classes outside the core library with a public parameterless
    /// constructor).
    /// </summary>
    public static ValueDescriptor? Describe(Type declaredType)
    {
        var coreType = Nullable.GetUnderlyingType(declaredType) ?? declaredType;
        var scalar = ScalarShape(coreType);
        if (scalar is { } shape)
            return new ValueDescriptor(declaredType, coreType, shape, null);
        if (declaredType != coreType)
            return null;

        if (SequenceElementType(declaredType) is { } elementType)
            return Describe(elementType) is { } element
                ? new ValueDescriptor(declaredType, declaredType, ValueShape.Sequence, element)
                : null;
        if (DictionaryValueType(declaredType) is { } valueType)
            return Describe(valueType) is { } value
                ? new ValueDescriptor(declaredType, declaredType, ValueShape.Dictionary, value)
                : null;
        return IsOptionsClass(declaredType)
            ? new ValueDescriptor(declaredType, declaredType, ValueShape.Object, null)
            : null;
    }

    private static ValueShape? ScalarShape(Type type) => type switch
    {
        _ when type == typeof(string) => ValueShape.String,
        _ when type == typeof(bool) => ValueShape.Boolean,
        _ when type == typeof(int) => ValueShape.Int32,
        _ when type == typeof(long) => ValueShape.Int64,
        _ when type == typeof(float) => ValueShape.Single,
        _ when type == typeof(double) => ValueShape.Double,
        { IsEnum: true } => ValueShape.Enum,
        _ => null,
    };

    private static Type? SequenceElementType(Type type)
    {
        if (type.IsArray)
            return type.GetArrayRank() == 1 ? type.GetElementType() : null;
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IReadOnlyList<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        var isDictionary = definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>);
        return isDictionary && arguments[0] == typeof(string) ? arguments[1] : null;
    }

    // Core-library classes (object, Version, ...) have parameterless constructors but are not options.
    private static bool IsOptionsClass(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        && type.Assembly != typeof(object).Assembly
        && type.GetConstructor(Type.EmptyTypes) is not null;
}
