using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;

namespace Pipeline.Plugins.Datasets.Files;

/// <summary>
/// Turns a layout's case lists and the split options into named splits: <c>all</c> (every labelled case),
/// <c>train</c> and <c>validation</c>, and <c>test</c> (unlabelled cases, when the layout has them).
/// Precedence: <c>splits_file</c>, then <c>folds</c> (generated, recorded in the run folder), then the dataset's own
/// validation list, then <c>validation_last</c>, else everything trains.
/// </summary>
public static class SplitPlanner
{
    /// <summary>The file, relative to the run folder, recording the folds of dataset <paramref name="dataset"/>.</summary>
    public static string SplitsPath(string runDirectory, string dataset) => Path.Combine(runDirectory, "datasets", dataset, "splits.json");

    /// <summary>Builds the splits.</summary>
    /// <param name="options">The dataset's split options.</param>
    /// <param name="cases">Every case of the layout.</param>
    /// <param name="publishedValidation">The layout's own validation case ids (labelled), or null when it has none.</param>
    /// <param name="context">Names the dataset, gives the run folder and logger.</param>
    public static Dictionary<string, IReadOnlyList<string>> Plan(FileDatasetOptions options, IReadOnlyList<CaseFiles> cases,
        IReadOnlyList<string>? publishedValidation, DatasetOpenContext context)
    {
        var labelled = cases.Where(c => c.LabelPath is not null).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var unlabelled = cases.Where(c => c.LabelPath is null).Select(c => c.Id).ToList();
        var splits = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["all"] = labelled };
        if (unlabelled.Count > 0) splits["test"] = unlabelled;

        (IReadOnlyList<string> Train, IReadOnlyList<string> Validation) chosen;
        if (options.SplitsFile is not null)
        {
            var folds = CrossValidationSplit.Load(options.SplitsFile);
            if (options.Fold >= folds.Count)
                throw new InvalidDatasetException(context.Name, $"splits_file '{options.SplitsFile}' has {folds.Count} fold(s); fold {options.Fold} was asked for");
            chosen = folds[options.Fold];
            var known = labelled.ToHashSet(StringComparer.Ordinal);
            var unknown = chosen.Train.Concat(chosen.Validation).Where(id => !known.Contains(id)).ToList();
            if (unknown.Count > 0)
                throw new InvalidDatasetException(context.Name,
                    $"splits_file '{options.SplitsFile}' fold {options.Fold} names case(s) that are not labelled cases of the dataset: {string.Join(", ", unknown.Take(10))}");
        }
        else if (options.Folds >= 2)
        {
            var folds = CrossValidationSplit.Create(labelled, options.Folds, options.SplitSeed);
            chosen = folds[options.Fold];
            if (context.RunDirectory is not null)
            {
                var path = SplitsPath(context.RunDirectory, context.Name);
                CrossValidationSplit.Save(path, folds);
                context.Logger.LogInformation("Dataset {Dataset}: {Folds} folds (seed {Seed}) written to {Path}; using fold {Fold}",
                    context.Name, options.Folds, options.SplitSeed, path, options.Fold);
            }
        }
        else if (publishedValidation is not null)
        {
            var validation = publishedValidation.ToHashSet(StringComparer.Ordinal);
            chosen = (labelled.Where(id => !validation.Contains(id)).ToList(), publishedValidation);
        }
        else if (options.ValidationLast > 0)
        {
            if (options.ValidationLast >= labelled.Count)
                throw new InvalidDatasetException(context.Name,
                    $"validation_last {options.ValidationLast} leaves no training case: the dataset has {labelled.Count} labelled case(s)");
            chosen = (labelled.Take(labelled.Count - options.ValidationLast).ToList(), labelled.Skip(labelled.Count - options.ValidationLast).ToList());
        }
        else
        {
            chosen = (labelled, []);
        }
        splits["train"] = chosen.Train;
        splits["validation"] = chosen.Validation;
        return splits;
    }
}
