using Pipeline.Core.Data;

namespace Pipeline.Core.Evaluation;

/// <summary>
/// Which classes of a model are scored on which classes of another dataset, through the organ vocabulary: a model
/// class is scored when the dataset has that organ or a descendant of it (a FLARE model's <c>kidney</c> against KiTS
/// <c>kidney</c> plus, unless merged away, <c>kidney_tumor</c> and <c>kidney_cyst</c>; against AMOS
/// <c>kidney_left</c> + <c>kidney_right</c>). Each match becomes one organ index, 1..n, in both label maps.
/// </summary>
public sealed class OrganMatch
{
    private OrganMatch(IReadOnlyList<string> organs, long[] modelToOrgan, long[] datasetToOrgan)
    {
        Organs = organs;
        ModelToOrgan = modelToOrgan;
        DatasetToOrgan = datasetToOrgan;
    }

    /// <summary>The scored organs (model class names), organ index k + 1 = position k.</summary>
    public IReadOnlyList<string> Organs { get; }

    /// <summary>Model class index → organ index (0 = not scored).</summary>
    public long[] ModelToOrgan { get; }

    /// <summary>Dataset class index → organ index (0 = not scored, i.e. background for every organ).</summary>
    public long[] DatasetToOrgan { get; }

    /// <summary>Matches the model's classes with a dataset's.</summary>
    /// <exception cref="ArgumentException">No class in common; the message lists both vocabularies.</exception>
    public static OrganMatch Create(IReadOnlyList<string> modelClasses, IReadOnlyList<string> datasetClasses)
    {
        var organs = new List<string>();
        var modelToOrgan = new long[modelClasses.Count];
        var datasetToOrgan = new long[datasetClasses.Count];
        for (int m = 1; m < modelClasses.Count; m++)
        {
            var covered = Enumerable.Range(1, datasetClasses.Count - 1)
                .Where(d => datasetToOrgan[d] == 0 && OrganVocabulary.Covers(modelClasses[m], datasetClasses[d])).ToList();
            if (covered.Count == 0) continue;
            organs.Add(modelClasses[m]);
            modelToOrgan[m] = organs.Count;
            foreach (var d in covered) datasetToOrgan[d] = organs.Count;
        }
        if (organs.Count == 0)
            throw new ArgumentException(
                $"the model's classes ({string.Join(", ", modelClasses.Skip(1))}) and the dataset's ({string.Join(", ", datasetClasses.Skip(1))}) have no organ in common");
        return new OrganMatch(organs, modelToOrgan, datasetToOrgan);
    }

    /// <summary>For each organ, the dataset classes it is scored against.</summary>
    public IReadOnlyList<string> DatasetClassesOf(int organIndex, IReadOnlyList<string> datasetClasses) =>
        Enumerable.Range(0, datasetClasses.Count).Where(d => DatasetToOrgan[d] == organIndex + 1).Select(d => datasetClasses[d]).ToList();
}
