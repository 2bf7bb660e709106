using Pipeline.Core.Nn;
using Pipeline.Plugins.Models.Nets;

namespace Pipeline.Plugins.Models;

/// <summary>
/// Validation of the options every <see cref="UnetrStyleNetwork"/> backbone shares (3d-ux-net, repux-net), reported
/// under their snake_case keys.
/// </summary>
internal static class UnetrStyleOptionChecks
{
    /// <summary>Problems with the shared options, as (key, message) pairs; empty when valid.</summary>
    public static IEnumerable<(string Key, string Message)> Validate(int inChannels, int outChannels, int[]? depths,
        int[]? featureSizes, int hiddenSize, int kernelSize, bool headFollowsFeatureSize, DepthwiseConvPath depthwisePath)
    {
        if (inChannels <= 0) yield return ("in_channels", $"must be positive, got {inChannels}.");
        if (outChannels <= 0) yield return ("out_channels", $"must be positive, got {outChannels}.");

        if (depths is null || depths.Length != UnetrStyleNetwork.StageCount)
            yield return ("depths", $"must list {UnetrStyleNetwork.StageCount} block counts (one per stage), got {Describe(depths)}.");
        else if (depths.Any(depth => depth <= 0))
            yield return ("depths", $"every entry must be positive, got {Describe(depths)}.");

        bool featureSizesValid = false;
        if (featureSizes is null || featureSizes.Length != UnetrStyleNetwork.StageCount)
            yield return ("feature_sizes", $"must list {UnetrStyleNetwork.StageCount} channel counts (one per stage), got {Describe(featureSizes)}.");
        else if (featureSizes.Any(size => size <= 0))
            yield return ("feature_sizes", $"every entry must be positive, got {Describe(featureSizes)}.");
        else
            featureSizesValid = true;

        if (hiddenSize <= 0) yield return ("hidden_size", $"must be positive, got {hiddenSize}.");
        if (kernelSize <= 0 || kernelSize % 2 == 0) yield return ("kernel_size", $"must be a positive odd number, got {kernelSize}.");
        if (!Enum.IsDefined(depthwisePath))
            yield return ("depthwise_path", $"unknown value {(int)depthwisePath}; use one of {string.Join(", ", Enum.GetNames<DepthwiseConvPath>())}.");

        if (featureSizesValid && !headFollowsFeatureSize && featureSizes![0] != UnetrStyleNetwork.OriginalHeadChannels)
            yield return ("feature_sizes",
                $"feature_sizes[0] is {featureSizes[0]}, but the original head takes {UnetrStyleNetwork.OriginalHeadChannels} channels; " +
                $"set head_follows_feature_size: true, or use feature_sizes[0] = {UnetrStyleNetwork.OriginalHeadChannels}.");
    }

    private static string Describe(int[]? values) => values is null ? "nothing" : $"[{string.Join(", ", values)}]";
}
