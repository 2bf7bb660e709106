namespace Pipeline.Core.Checkpoints;

/// <summary>One tensor of a new model's output head, which keeps its fresh initialisation instead of the source's value.</summary>
/// <param name="Key">The state_dict key.</param>
/// <param name="Shape">Its shape in the new model.</param>
/// <param name="SourceShape">Its shape in the source state_dict, or null when the source has no such key.</param>
public sealed record ReplacedHeadTensor(string Key, long[] Shape, long[]? SourceShape);
