using System.Globalization;
using Pipeline.Core.Data;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// The opened <c>synthetic</c> dataset. Case ids are <c>synthetic_0000</c>, <c>synthetic_0001</c>, ...; the first
/// <c>cases</c> ids form the <c>train</c> split and the next <c>validation_cases</c> the <c>validation</c> split.
/// Cases are generated when loaded, from the seed and their index only.
/// </summary>
public sealed class SyntheticDataset : ISegmentationDataset
{
    private const string IdPrefix = "synthetic_";

    private readonly PhantomGenerator _generator;
    private readonly int _caseCount;

    /// <param name="options">Validated options.</param>
    public SyntheticDataset(SyntheticDatasetOptions options)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid synthetic dataset options: " +
                                        string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")));
        _generator = new PhantomGenerator(options);
        _caseCount = options.Cases + options.ValidationCases;
        ClassNames = Enumerable.Range(0, options.Classes + 1).Select(ClassName).ToArray();
        Splits = new Dictionary<string, IReadOnlyList<string>>
        {
            ["train"] = Enumerable.Range(0, options.Cases).Select(CaseId).ToArray(),
            ["validation"] = Enumerable.Range(options.Cases, options.ValidationCases).Select(CaseId).ToArray(),
        };
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits { get; }

    /// <inheritdoc />
    public SegmentationCase Load(string caseId)
    {
        int index = ParseIndex(caseId);
        var phantom = _generator.Generate(index);
        long[] shape = [phantom.Size[0], phantom.Size[1], phantom.Size[2]];
        var image = tensor(phantom.Image, [1, .. shape], ScalarType.Float32);
        var label = tensor(phantom.Label, shape, ScalarType.Int64);
        return new SegmentationCase(caseId, image, label, phantom.Spacing);
    }

    /// <summary>The name of class <paramref name="index"/>; the structure classes are enabled in this order.</summary>
    private static string ClassName(int index) => index switch
    {
        0 => "background",
        EllipsoidStructure.Class => "ellipsoid",
        TubeStructure.Class => "tube",
        ShellStructure.Class => "shell",
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "the synthetic dataset has classes 0..3."),
    };

    private static string CaseId(int index) => IdPrefix + index.ToString("D4", CultureInfo.InvariantCulture);

    private int ParseIndex(string caseId)
    {
        if (caseId is not null && caseId.StartsWith(IdPrefix, StringComparison.Ordinal)
            && int.TryParse(caseId.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && index < _caseCount && CaseId(index) == caseId)
            return index;
        throw new KeyNotFoundException(
            $"The synthetic dataset has no case '{caseId}'. Its ids run from {CaseId(0)} to {CaseId(_caseCount - 1)}.");
    }
}
