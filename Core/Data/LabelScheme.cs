using static TorchSharp.torch;

namespace Pipeline.Core.Data;

/// <summary>
/// How a dataset's stored label values become class indices: each declared value gets a vocabulary name
/// (<see cref="OrganVocabulary"/>), optional merges fold names into others (e.g. KiTS <c>kidney_tumor</c> →
/// <c>kidney</c>), and the distinct names, in order of their first value, are the classes (index 0 = background).
/// A stored value that was not declared is an error naming the case and the values.
/// </summary>
public sealed class LabelScheme
{
    private readonly long[] _lookup; // stored value → class index, -1 when undeclared

    private LabelScheme(IReadOnlyList<string> classNames, long[] lookup, IReadOnlyDictionary<int, string> declared)
    {
        ClassNames = classNames;
        _lookup = lookup;
        Declared = declared;
    }

    /// <summary>Class names by class index; index 0 is <c>background</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The declared stored values and the vocabulary name each maps to (after merges).</summary>
    public IReadOnlyDictionary<int, string> Declared { get; }

    /// <summary>The largest declared stored value.</summary>
    public int MaxValue => _lookup.Length - 1;

    /// <summary>Builds a scheme from stored value → the dataset's own label name.</summary>
    /// <param name="labels">Declared labels; must include 0 (background). Names are normalised to the vocabulary.</param>
    /// <param name="merges">Optional vocabulary name → vocabulary name it is merged into.</param>
    /// <exception cref="ArgumentException">No label 0, a negative value, or a merge whose source is not declared.</exception>
    public static LabelScheme Create(IReadOnlyDictionary<int, string> labels, IReadOnlyDictionary<string, string>? merges = null)
    {
        if (!labels.ContainsKey(0)) throw new ArgumentException("the labels must declare value 0 (background)");
        if (labels.Keys.Any(v => v < 0)) throw new ArgumentException($"label values must be 0 or more, got {labels.Keys.Min()}");
        var normalisedMerges = (merges ?? new Dictionary<string, string>())
            .ToDictionary(m => OrganVocabulary.Normalize(m.Key), m => OrganVocabulary.Normalize(m.Value));
        var declaredNames = labels.Values.Select(OrganVocabulary.Normalize).ToHashSet();
        foreach (var source in normalisedMerges.Keys)
            if (!declaredNames.Contains(source))
                throw new ArgumentException($"merge source '{source}' is not one of the declared labels ({string.Join(", ", declaredNames.Order())})");

        var declared = new SortedDictionary<int, string>();
        foreach (var (value, name) in labels.OrderBy(l => l.Key))
        {
            string vocabulary = value == 0 ? OrganVocabulary.Background : OrganVocabulary.Normalize(name);
            // Follow merge chains (a → b → c), refusing cycles.
            var seen = new HashSet<string>();
            while (normalisedMerges.TryGetValue(vocabulary, out var target))
            {
                if (!seen.Add(vocabulary)) throw new ArgumentException($"the label merges form a cycle through '{vocabulary}'");
                vocabulary = target;
            }
            declared[value] = vocabulary;
        }

        var classNames = new List<string> { OrganVocabulary.Background };
        foreach (var name in declared.Values)
            if (!classNames.Contains(name)) classNames.Add(name);
        var lookup = Enumerable.Repeat(-1L, declared.Keys.Max() + 1).ToArray();
        foreach (var (value, name) in declared) lookup[value] = classNames.IndexOf(name);
        return new LabelScheme(classNames, lookup, declared);
    }

    /// <summary>
    /// Maps a label volume's stored values (any numeric dtype, integral values) to class indices (int64, same shape).
    /// </summary>
    /// <param name="stored">The label map as read from the file.</param>
    /// <param name="where">Names the case and file in error messages, e.g. <c>case 'spleen_2' (labelsTr/spleen_2.nii.gz)</c>.</param>
    /// <exception cref="InvalidDataException">Non-integral, negative or undeclared values; the message lists them.</exception>
    public Tensor Apply(Tensor stored, string where)
    {
        using var scope = NewDisposeScope();
        var asDouble = stored.to_type(ScalarType.Float64);
        if (!asDouble.eq(asDouble.round()).all().item<bool>())
            throw new InvalidDataException($"{where}: label map has non-integer values; a label map must hold integer class values");
        var values = stored.to_type(ScalarType.Int64);
        var unique = values.unique().Item1.data<long>().ToArray();
        var bad = unique.Where(v => v < 0 || v > MaxValue || _lookup[v] < 0).ToArray();
        if (bad.Length > 0)
            throw new InvalidDataException(
                $"{where}: label values [{string.Join(", ", bad.Take(10))}{(bad.Length > 10 ? ", ..." : "")}] are not declared; " +
                $"declared values are [{string.Join(", ", Declared.Keys)}] ({string.Join(", ", Declared.Select(d => $"{d.Key}={d.Value}"))})");
        var table = tensor(_lookup, device: values.device);
        return table.index_select(0, values.flatten()).reshape(values.shape).MoveToOuterDisposeScope();
    }
}
