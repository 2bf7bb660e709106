using System.Collections;
using System.Globalization;
using Pipeline.Core.Manifest;
using Pipeline.Core.Plugins;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Transforms;

/// <summary>
/// Builds a <see cref="Compose"/> from a list of transform entries. In YAML each entry is a mapping with the
/// transform's <c>name</c> and its options beside it:
/// <code>
/// - name: orientation
///   axcodes: RAS
/// - name: ct_window
///   a_min: -125
///   a_max: 275
///   b_min: 0
///   b_max: 1
///   clip: true
/// </code>
/// Options are bound into the transform's typed options class by the manifest's <see cref="OptionsBinder"/>
/// (snake_case keys, defaults for absent keys, data annotations and <c>Validate()</c> checked), so every problem is
/// reported with its location, its key path (<c>transforms[1].a_mni</c>) and the transform's name.
/// The same entries can be given in code as <see cref="TransformSpec"/>s.
/// </summary>
public sealed class TransformListReader
{
    /// <summary>The key that names the transform in each entry.</summary>
    public const string NameKey = "name";

    private readonly TransformRegistry _registry;

    /// <param name="registry">The transforms that may be named.</param>
    public TransformListReader(TransformRegistry registry) => _registry = registry;

    /// <summary>
    /// Reads the sequence at <paramref name="node"/>, reporting every problem to <paramref name="diagnostics"/> (for
    /// use inside a larger manifest load).
    /// </summary>
    /// <param name="node">The sequence of entries.</param>
    /// <param name="path">Its key path, e.g. <c>stages[0].options.transforms</c>.</param>
    /// <param name="diagnostics">Receives the problems.</param>
    /// <returns>The composition, or null when any problem was reported.</returns>
    public Compose? Read(YamlNode node, string path, ManifestDiagnostics diagnostics)
    {
        if (node is not YamlSequenceNode sequence)
        {
            diagnostics.Report(node, path, $"expected a sequence of transforms ('- name: ...' with options beside it), got {YamlNodes.Describe(node)}");
            return null;
        }
        var errorsBefore = diagnostics.Errors.Count;
        var transforms = new List<ITransform>(sequence.Children.Count);
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            if (ReadEntry(sequence.Children[index], KeyPath.Index(path, index), diagnostics) is { } transform)
                transforms.Add(transform);
        }
        return diagnostics.Errors.Count == errorsBefore ? new Compose(transforms) : null;
    }

    /// <summary>Reads the sequence at <paramref name="node"/>, throwing on problems.</summary>
    /// <param name="node">The sequence of entries.</param>
    /// <param name="sourceName">The file or source named in error locations.</param>
    /// <param name="path">The sequence's key path in error messages (default <c>transforms</c>).</param>
    /// <exception cref="ManifestException">Every problem, located.</exception>
    public Compose Read(YamlNode node, string sourceName, string path = "transforms")
    {
        var diagnostics = new ManifestDiagnostics(new NodeLocator(sourceName));
        var compose = Read(node, path, diagnostics);
        diagnostics.ThrowIfAny();
        return compose!;
    }

    /// <summary>Parses YAML text whose single document is the sequence of entries.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">The file or source named in error locations.</param>
    /// <exception cref="ManifestException">Invalid YAML or any problem in the entries.</exception>
    public Compose Parse(string yaml, string sourceName)
    {
        var diagnostics = new ManifestDiagnostics(new NodeLocator(sourceName));
        var stream = ManifestYamlReader.ParseStream(yaml, diagnostics);
        Compose? compose = null;
        if (stream is not null)
        {
            if (stream.Documents.Count != 1)
                diagnostics.Report(diagnostics.Locator.Start, "", $"expected one YAML document holding the transform list, found {stream.Documents.Count}");
            else
                compose = Read(stream.Documents[0].RootNode, "transforms", diagnostics);
        }
        diagnostics.ThrowIfAny();
        return compose!;
    }

    /// <summary>Builds the composition from entries given in code.</summary>
    /// <param name="specs">The entries, in order.</param>
    /// <param name="path">The list's name in error messages (default <c>transforms</c>).</param>
    /// <exception cref="ArgumentException">Every problem, one per line, as <c>transforms[i].key: transform 'name': message</c>.</exception>
    public Compose Read(IReadOnlyList<TransformSpec> specs, string path = "transforms")
    {
        var diagnostics = new ManifestDiagnostics(new NodeLocator(path));
        var transforms = new List<ITransform>(specs.Count);
        for (var index = 0; index < specs.Count; index++)
        {
            var itemPath = KeyPath.Index(path, index);
            var spec = specs[index];
            if (Registration(spec.Name, null, itemPath, diagnostics) is not { } registration)
                continue;
            YamlMappingNode options;
            try
            {
                options = ToMapping(spec.Options, itemPath);
            }
            catch (ArgumentException error)
            {
                diagnostics.Report(diagnostics.Locator.Start, itemPath, $"transform '{spec.Name}': {error.Message}");
                continue;
            }
            if (Bind(registration, options, itemPath, ignoreNameKey: false, diagnostics) is { } transform)
                transforms.Add(transform);
        }
        if (diagnostics.HasErrors)
            throw new ArgumentException(string.Join(Environment.NewLine, diagnostics.Errors.Select(error => $"{error.Path}: {error.Message}")));
        return new Compose(transforms);
    }

    private ITransform? ReadEntry(YamlNode item, string itemPath, ManifestDiagnostics diagnostics)
    {
        if (item is not YamlMappingNode mapping)
        {
            diagnostics.Report(item, itemPath, $"expected a transform ('name: ...' with its options beside it), got {YamlNodes.Describe(item)}");
            return null;
        }
        var namePath = KeyPath.Key(itemPath, NameKey);
        var nameNode = YamlNodes.Child(mapping, NameKey);
        if (nameNode is null)
        {
            diagnostics.Report(mapping, namePath, $"missing required key '{NameKey}' (the transform: one of {string.Join(", ", _registry.Names)})");
            return null;
        }
        if (YamlNodes.IsNull(nameNode) || nameNode is not YamlScalarNode { Value: { Length: > 0 } name })
        {
            diagnostics.Report(nameNode, namePath, $"expected a transform name, got {YamlNodes.Describe(nameNode)}");
            return null;
        }
        return Registration(name, nameNode, namePath, diagnostics) is { } registration
            ? Bind(registration, mapping, itemPath, ignoreNameKey: true, diagnostics)
            : null;
    }

    private TransformRegistration? Registration(string name, YamlNode? nameNode, string namePath, ManifestDiagnostics diagnostics)
    {
        if (_registry.Find(name) is { } registration)
            return registration;
        var closest = KeySuggestions.Closest(name, _registry.Names);
        var hint = closest is null ? "" : $" (did you mean '{closest}'?)";
        var message = $"unknown transform '{name}'{hint}; known transforms: {string.Join(", ", _registry.Names)}";
        if (nameNode is null) diagnostics.Report(diagnostics.Locator.Start, namePath, message);
        else diagnostics.Report(nameNode, namePath, message);
        return null;
    }

    /// <summary>
    /// Binds <paramref name="options"/> into the transform's options class and builds the transform; problems go to
    /// <paramref name="diagnostics"/> prefixed with the transform's name. In YAML the options sit beside
    /// <c>name</c>, so the binder's complaint about that key is dropped; because that complaint stops the binder
    /// from running the options' own <see cref="IValidatableOptions.Validate"/>, it is run here instead.
    /// </summary>
    private static ITransform? Bind(
        TransformRegistration registration, YamlMappingNode options, string itemPath, bool ignoreNameKey, ManifestDiagnostics diagnostics)
    {
        var local = new ManifestDiagnostics(diagnostics.Locator);
        var bound = new OptionsBinder(local).Bind(registration.OptionsType, options, options, itemPath);
        var namePath = KeyPath.Key(itemPath, NameKey);
        var problems = local.Errors.Where(error => !(ignoreNameKey && error.Path == namePath)).ToList();
        var nameWasSkipped = problems.Count < local.Errors.Count;
        foreach (var problem in problems)
            diagnostics.Report(problem.Location, problem.Path, $"transform '{registration.Name}': {problem.Message}");
        if (problems.Count > 0)
            return null;

        if (nameWasSkipped && bound.Value is IValidatableOptions validatable)
        {
            var invalid = false;
            foreach (var (key, message) in validatable.Validate())
            {
                var node = key.Length == 0 ? null : YamlNodes.Child(options, key);
                diagnostics.Report(node ?? options, key.Length == 0 ? itemPath : KeyPath.Key(itemPath, key), $"transform '{registration.Name}': {message}");
                invalid = true;
            }
            if (invalid)
                return null;
        }
        try
        {
            return registration.Create(bound.Value);
        }
        catch (ArgumentException error)
        {
            diagnostics.Report(options, itemPath, error.Message);
            return null;
        }
    }

    /// <summary>A YAML mapping for options given in code.</summary>
    private static YamlMappingNode ToMapping(IEnumerable<KeyValuePair<string, object?>> entries, string path)
    {
        var mapping = new YamlMappingNode();
        foreach (var (key, value) in entries) mapping.Add(new YamlScalarNode(key), ToNode(value, KeyPath.Key(path, key)));
        return mapping;
    }

    /// <summary>A YAML node for an option value given in code.</summary>
    private static YamlNode ToNode(object? value, string path)
    {
        switch (value)
        {
            case null:
                return new YamlScalarNode("~") { Style = ScalarStyle.Plain };
            case string text:
                return new YamlScalarNode(text) { Style = ScalarStyle.DoubleQuoted };
            case bool flag:
                return new YamlScalarNode(flag ? "true" : "false") { Style = ScalarStyle.Plain };
            case Enum member:
                return new YamlScalarNode(SnakeCase.From(member.ToString())) { Style = ScalarStyle.Plain };
            case double or float:
                return new YamlScalarNode(((IFormattable)value).ToString("R", CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };
            case IFormattable number when value.GetType().IsPrimitive || value is decimal:
                return new YamlScalarNode(number.ToString(null, CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };
            case IEnumerable<KeyValuePair<string, object?>> entries:
                return ToMapping(entries, path);
            case IDictionary dictionary:
                var mapping = new YamlMappingNode();
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is not string key)
                        throw new ArgumentException($"{path}: option keys must be strings, got {entry.Key}");
                    mapping.Add(new YamlScalarNode(key), ToNode(entry.Value, KeyPath.Key(path, key)));
                }
                return mapping;
            case IEnumerable items:
                var sequence = new YamlSequenceNode();
                var index = 0;
                foreach (var item in items) sequence.Add(ToNode(item, KeyPath.Index(path, index++)));
                return sequence;
            default:
                throw new ArgumentException($"{path}: option values must be null, text, booleans, numbers, enums, lists or dictionaries, got {value.GetType().Name}");
        }
    }
}
