namespace Pipeline.Core.Evaluation;

/// <summary>A predicted label map and its reference, as files.</summary>
/// <param name="CaseId">The case (the file name without its NIfTI extension).</param>
/// <param name="PredictionPath">The predicted label map.</param>
/// <param name="ReferencePath">The reference (ground-truth) label map.</param>
public sealed record LabelFilePair(string CaseId, string PredictionPath, string ReferencePath)
{
    /// <summary>
    /// Pairs a prediction with a reference: two files, or two folders whose NIfTI files are matched by name (every
    /// prediction needs its reference; references without a prediction are an error too, so a missing case is never
    /// silently left out of the means).
    /// </summary>
    /// <exception cref="ArgumentException">Paths missing, a file paired with a folder, or unmatched files; the message lists them.</exception>
    public static IReadOnlyList<LabelFilePair> Match(string prediction, string reference)
    {
        if (File.Exists(prediction) && File.Exists(reference))
            return [new LabelFilePair(CaseName(reference), Path.GetFullPath(prediction), Path.GetFullPath(reference))];
        if (Directory.Exists(prediction) && Directory.Exists(reference))
        {
            var predictions = NiftiFiles(prediction);
            var references = NiftiFiles(reference);
            var missingPrediction = references.Keys.Except(predictions.Keys).Order(StringComparer.Ordinal).ToList();
            var missingReference = predictions.Keys.Except(references.Keys).Order(StringComparer.Ordinal).ToList();
            if (missingPrediction.Count > 0 || missingReference.Count > 0)
                throw new ArgumentException(
                    (missingPrediction.Count > 0 ? $"no prediction in {prediction} for: {string.Join(", ", missingPrediction.Take(10))}. " : "") +
                    (missingReference.Count > 0 ? $"no reference in {reference} for: {string.Join(", ", missingReference.Take(10))}." : ""));
            if (references.Count == 0) throw new ArgumentException($"no NIfTI file (.nii, .nii.gz) in {reference}");
            return references.Keys.Order(StringComparer.Ordinal).Select(id => new LabelFilePair(id, predictions[id], references[id])).ToList();
        }
        foreach (var path in new[] { prediction, reference })
            if (!File.Exists(path) && !Directory.Exists(path))
                throw new ArgumentException($"'{path}' does not exist");
        throw new ArgumentException($"--prediction and --reference must both be files or both be folders ('{prediction}', '{reference}')");
    }

    private static Dictionary<string, string> NiftiFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(p => !Path.GetFileName(p).StartsWith('.') && (p.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".nii", StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(CaseName, Path.GetFullPath, StringComparer.Ordinal);

    private static string CaseName(string path)
    {
        string name = Path.GetFileName(path);
        return name.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) ? name[..^7]
            : name.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
    }
}
