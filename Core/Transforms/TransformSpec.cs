namespace Pipeline.Core.Transforms;

/// <summary>
/// One entry of a transform list given in code rather than YAML: the transform's name and its options as a
/// dictionary of snake_case keys (values: null, strings, booleans, numbers, enums, lists of those, nested dictionaries).
/// </summary>
/// <param name="Name">The registered name, e.g. <c>ct_window</c>.</param>
/// <param name="Options">The options, e.g. <c>{ "a_min": -125, "a_max": 275 }</c>; empty for the defaults.</param>
public sealed record TransformSpec(string Name, IReadOnlyDictionary<string, object?> Options);
