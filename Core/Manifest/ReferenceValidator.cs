namespace Pipeline.Core.Manifest;

/// <summary>
/// Checks the reference options found while binding: a <c>[DatasetReference]</c> names a declared dataset, a
/// <c>[StageReference]</c> names a stage that runs earlier than the stage holding the option.
/// </summary>
internal sealed class ReferenceValidator(ManifestDiagnostics diagnostics)
{
    /// <summary>Checks the references of one section.</summary>
    /// <param name="references">The section's references.</param>
    /// <param name="datasets">Every declared dataset name.</param>
    /// <param name="stages">Every stage name in run order (null for stages without a usable name).</param>
    /// <param name="stageIndex">The position of the section's stage, or null for a non-stage section.</param>
    public void Check(
        IEnumerable<OptionReference> references, IReadOnlyCollection<string> datasets,
        IReadOnlyList<string?> stages, int? stageIndex)
    {
        foreach (var reference in references)
        {
            var problem = reference.Target switch
            {
                ReferenceTarget.Dataset => CheckDataset(reference.Name, datasets),
                _ => CheckStage(reference.Name, stages, stageIndex),
            };
            if (problem is not null)
                diagnostics.Report(reference.Location, reference.Path, problem);
        }
    }

    private static string? CheckDataset(string name, IReadOnlyCollection<string> datasets) =>
        datasets.Contains(name)
            ? null
            : $"unknown dataset '{name}'; declared datasets: {List(datasets)}";

    private static string? CheckStage(string name, IReadOnlyList<string?> stages, int? stageIndex)
    {
        // Only stages run, so only a stage has earlier stages.
        var earlier = stages.Take(stageIndex ?? 0).OfType<string>().ToList();
        if (earlier.Contains(name))
            return null;

        var earlierText = $"earlier stages: {List(earlier)}";
        var position = stages.ToList().IndexOf(name);
        if (position < 0)
            return $"unknown stage '{name}'; {earlierText}";
        if (stageIndex is not { } index)
            return $"stage '{name}' cannot be referred to from outside the stages; only a later stage may use its output";
        return position == index
            ? $"stage '{name}' cannot refer to itself; {earlierText}"
            : $"stage '{name}' runs after '{stages[index]}', so its output is not available yet; {earlierText}";
    }

    private static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "(none)" : text;
    }
}
