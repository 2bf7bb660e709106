namespace Pipeline.Core.Data;

/// <summary>
/// One cross-validation fold of a dataset: the same classes and cases, with exactly two splits, the fold's training
/// cases and its held-out cases, under the names the training asks for.
/// </summary>
public sealed class FoldDataset : ISegmentationDataset
{
    private readonly ISegmentationDataset _inner;

    /// <param name="inner">The whole dataset.</param>
    /// <param name="trainSplit">The name of the training part (the train options' <c>train_split</c>).</param>
    /// <param name="train">The fold's training case ids.</param>
    /// <param name="validationSplit">The name of the held-out part (the train options' <c>validation_split</c>).</param>
    /// <param name="validation">The fold's held-out case ids.</param>
    /// <exception cref="ArgumentException">The two names are equal, or a case is in both parts.</exception>
    public FoldDataset(ISegmentationDataset inner, string trainSplit, IReadOnlyList<string> train,
                       string validationSplit, IReadOnlyList<string> validation)
    {
        if (trainSplit == validationSplit)
            throw new ArgumentException($"The training and held-out parts of a fold need different split names, got '{trainSplit}' twice.");
        var overlap = train.Intersect(validation, StringComparer.Ordinal).ToList();
        if (overlap.Count > 0)
            throw new ArgumentException($"Case(s) {string.Join(", ", overlap.Take(10))} are in both the training and the held-out part of the fold.");
        _inner = inner;
        Train = train;
        Validation = validation;
        Splits = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [trainSplit] = train,
            [validationSplit] = validation,
        };
    }

    /// <summary>The fold's training case ids.</summary>
    public IReadOnlyList<string> Train { get; }

    /// <summary>The fold's held-out case ids.</summary>
    public IReadOnlyList<string> Validation { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _inner.ClassNames;

    /// <inheritdoc />
    public int InputChannels => _inner.InputChannels;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits { get; }

    /// <inheritdoc />
    public SegmentationCase Load(string caseId) => _inner.Load(caseId);
}
