namespace Pipeline.Core.Checkpoints;

/// <summary>How a source state_dict initialises a new model: the tensors copied by name and the head that is not.</summary>
/// <param name="LoadedKeys">State_dict keys of the new model whose values come from the source (names and shapes agree).</param>
/// <param name="Head">The new model's output-head tensors, which keep their fresh initialisation.</param>
/// <param name="HeadFound">How the head was found: <c>head_prefixes</c> or <c>class-count shapes</c>.</param>
public sealed record HeadReplacementPlan(IReadOnlyList<string> LoadedKeys, IReadOnlyList<ReplacedHeadTensor> Head, string HeadFound);
