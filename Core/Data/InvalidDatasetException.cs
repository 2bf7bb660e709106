namespace Pipeline.Core.Data;

/// <summary>A dataset's layout or cases failed validation; the message names the dataset, the cases and the files.</summary>
public sealed class InvalidDatasetException : Exception
{
    /// <summary>Creates the exception for <paramref name="dataset"/> with the problems found.</summary>
    public InvalidDatasetException(string dataset, IReadOnlyList<CaseProblem> problems)
        : base(Describe(dataset, problems))
    {
        Dataset = dataset;
        Problems = problems;
    }

    /// <summary>Creates the exception for a layout problem that is not tied to one case (missing folder, bad dataset.json).</summary>
    public InvalidDatasetException(string dataset, string message)
        : base($"dataset '{dataset}': {message}")
    {
        Dataset = dataset;
        Problems = [];
    }

    /// <summary>The dataset's manifest name.</summary>
    public string Dataset { get; }

    /// <summary>The case problems (empty for a layout problem).</summary>
    public IReadOnlyList<CaseProblem> Problems { get; }

    private static string Describe(string dataset, IReadOnlyList<CaseProblem> problems)
    {
        const int shown = 20;
        var lines = problems.Take(shown).Select(p => "  " + p);
        string more = problems.Count > shown ? $"\n  ... and {problems.Count - shown} more" : "";
        return $"dataset '{dataset}': {problems.Count} invalid case(s) (set on_invalid_case: skip to leave them out):\n" +
               string.Join('\n', lines) + more;
    }
}
