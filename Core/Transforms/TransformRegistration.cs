namespace Pipeline.Core.Transforms;

/// <summary>A transform the registry can build: its name, its options class and the factory that takes bound options.</summary>
/// <param name="Name">The name used in YAML (<c>- name: ct_window</c>).</param>
/// <param name="OptionsType">The options class the entry's keys are bound into.</param>
/// <param name="Create">Builds the transform from an instance of <paramref name="OptionsType"/>.</param>
public sealed record TransformRegistration(string Name, Type OptionsType, Func<object, ITransform> Create);
