using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Renames the keys of a foreign state_dict before it is loaded: removes a prefix (e.g. <c>module.</c>, which
/// <c>DataParallel</c> and <c>DistributedDataParallel</c> put in front of every key, or <c>model.</c> from a
/// Lightning-style wrapper), then adds one. Tensors are not copied.
/// </summary>
/// <param name="StripPrefix">A prefix removed from every key that has it; null for none.</param>
/// <param name="AddPrefix">A prefix put in front of every key after stripping; null for none.</param>
/// <param name="StripDataParallelPrefix">
/// Also remove <see cref="DataParallelPrefix"/> when every key starts with it (on by default; a state_dict where only
/// some keys have it is left alone, since that is not what DataParallel writes).
/// </param>
public sealed record StateDictKeyMapping(string? StripPrefix = null, string? AddPrefix = null, bool StripDataParallelPrefix = true)
{
    /// <summary>The prefix <c>torch.nn.DataParallel</c> adds to every key.</summary>
    public const string DataParallelPrefix = "module.";

    /// <summary>The default mapping: only the automatic <c>module.</c> removal.</summary>
    public static StateDictKeyMapping Default { get; } = new();

    /// <summary>Returns a new map with the renamed keys, in the original order.</summary>
    /// <param name="stateDict">The tensors by their keys in the file.</param>
    /// <param name="source">Where they came from, for error messages.</param>
    /// <exception cref="InvalidDataException">Two keys map to the same new key; the message names both.</exception>
    public Dictionary<string, Tensor> Apply(IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        bool stripDataParallel = StripDataParallelPrefix && stateDict.Count > 0
                                 && stateDict.Keys.All(key => key.StartsWith(DataParallelPrefix, StringComparison.Ordinal));
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in stateDict)
        {
            string name = key;
            if (stripDataParallel) name = name[DataParallelPrefix.Length..];
            if (!string.IsNullOrEmpty(StripPrefix) && name.StartsWith(StripPrefix, StringComparison.Ordinal)) name = name[StripPrefix.Length..];
            if (!string.IsNullOrEmpty(AddPrefix)) name = AddPrefix + name;
            if (!origins.TryAdd(name, key))
                throw new InvalidDataException($"'{source}': keys '{origins[name]}' and '{key}' both become '{name}' after renaming.");
            mapped.Add(name, value);
        }
        return mapped;
    }
}
