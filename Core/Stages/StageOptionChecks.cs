using Pipeline.Core.Data;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>Checks shared by the training and validation stages, each failing with a message naming the option.</summary>
internal static class StageOptionChecks
{
    /// <summary>
    /// <paramref name="options"/> as <typeparamref name="T"/>, validated; throws naming the stage, the key and the
    /// problem otherwise (the engine validates too; this guards direct callers).
    /// </summary>
    public static T Require<T>(object options, string stageName) where T : IValidatableOptions
    {
        if (options is not T typed)
            throw new ArgumentException(
                $"Stage '{stageName}' expects options of type {typeof(T).Name}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        var problems = typed.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"Stage '{stageName}' has invalid options: " +
                                        string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")), nameof(options));
        return typed;
    }

    /// <summary>Problems of a [d, h, w] size option.</summary>
    public static IEnumerable<(string Key, string Message)> SizeProblems(string key, int[]? size)
    {
        if (size is null || size.Length != 3)
            yield return (key, "must list exactly 3 sizes [d, h, w].");
        else if (size.Any(s => s < 1))
            yield return (key, $"every size must be positive, got [{string.Join(", ", size)}].");
    }

    /// <summary>The case ids of split <paramref name="split"/>; throws naming the option and the available splits.</summary>
    public static IReadOnlyList<string> RequireSplit(ISegmentationDataset dataset, string datasetName, string split,
                                                    string optionKey, string stageName)
    {
        if (!dataset.Splits.TryGetValue(split, out var ids))
            throw new InvalidOperationException(
                $"Stage '{stageName}': {optionKey} '{split}' is not a split of dataset '{datasetName}'. Available splits: " +
                (dataset.Splits.Count == 0 ? "(none)" : string.Join(", ", dataset.Splits.Keys)) + ".");
        if (ids.Count == 0)
            throw new InvalidOperationException($"Stage '{stageName}': {optionKey} '{split}' of dataset '{datasetName}' has no cases.");
        return ids;
    }

    /// <summary>Throws unless the network's channels match the dataset's inputs and classes.</summary>
    public static void RequireCompatible(SegmentationNetwork network, ISegmentationDataset dataset, string datasetName, string stageName)
    {
        if (network.InChannels != dataset.InputChannels)
            throw new InvalidOperationException(
                $"Stage '{stageName}': the model takes {network.InChannels} input channel(s) but dataset '{datasetName}' has {dataset.InputChannels}.");
        if (network.OutChannels != dataset.ClassNames.Count)
            throw new InvalidOperationException(
                $"Stage '{stageName}': the model predicts {network.OutChannels} classes but dataset '{datasetName}' has " +
                $"{dataset.ClassNames.Count} ({string.Join(", ", dataset.ClassNames)}); set the backbone's output classes to match.");
    }

    /// <summary>Throws unless every size of option <paramref name="key"/> is a multiple of the network's spatial divisor.</summary>
    public static void RequireDivisible(SegmentationNetwork network, int[] size, string key, string stageName)
    {
        if (size.Any(s => s % network.SpatialDivisor != 0))
            throw new InvalidOperationException(
                $"Stage '{stageName}': {key} [{string.Join(", ", size)}] must be multiples of {network.SpatialDivisor}, " +
                "the model's spatial divisor.");
    }

    /// <summary>Throws unless every label of option <paramref name="key"/> is a class index below <paramref name="classCount"/>.</summary>
    /// <param name="owner">Whose classes they are, for the message, e.g. "dataset 'brains' (background, brain)" or "the model".</param>
    public static void RequireClasses(IEnumerable<long> labels, long classCount, string owner, string key, string stageName)
    {
        foreach (long label in labels)
            if (label < 0 || label >= classCount)
                throw new InvalidOperationException(
                    $"Stage '{stageName}': {key} label {label} is not a class of {owner} (0..{classCount - 1}).");
    }
}
