namespace Pipeline.Core.Metrics;

/// <summary>The one place that turns an <see cref="EmptyReferencePolicy"/> into a value.</summary>
public static class EmptyReferencePolicyExtensions
{
    /// <summary>
    /// The value of an overlap metric (Dice, NSD) when at least one mask is empty, or null when both have voxels and the
    /// metric must be computed.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="referenceEmpty">The class has no voxel in the reference.</param>
    /// <param name="predictionEmpty">The class has no voxel in the prediction.</param>
    public static double? OverlapWhenEmpty(this EmptyReferencePolicy policy, bool referenceEmpty, bool predictionEmpty)
    {
        if (!referenceEmpty)
            return predictionEmpty ? 0.0 : null;
        return policy switch
        {
            EmptyReferencePolicy.Score => predictionEmpty ? 1.0 : 0.0,
            EmptyReferencePolicy.Ignore => double.NaN,
            EmptyReferencePolicy.IgnoreWhenBothEmpty => predictionEmpty ? double.NaN : 0.0,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown empty-reference policy."),
        };
    }

    /// <summary>The policy's snake_case name as written to reports (<c>score</c>, <c>ignore</c>, <c>ignore_when_both_empty</c>).</summary>
    public static string ToSnakeCase(this EmptyReferencePolicy policy) => policy switch
    {
        EmptyReferencePolicy.Score => "score",
        EmptyReferencePolicy.Ignore => "ignore",
        EmptyReferencePolicy.IgnoreWhenBothEmpty => "ignore_when_both_empty",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown empty-reference policy."),
    };

    /// <summary>One sentence stating the policy, for report headers.</summary>
    public static string Describe(this EmptyReferencePolicy policy) => policy switch
    {
        EmptyReferencePolicy.Score =>
            "Empty reference: Dice and NSD are 1 when the prediction is empty too, 0 otherwise (MONAI ignore_empty=False).",
        EmptyReferencePolicy.Ignore =>
            "Empty reference: Dice and NSD are undefined (null) whatever was predicted (MONAI ignore_empty=True).",
        EmptyReferencePolicy.IgnoreWhenBothEmpty =>
            "Dice and NSD are undefined (null) when reference and prediction are both empty; a prediction on an empty reference scores 0.",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown empty-reference policy."),
    };
}
