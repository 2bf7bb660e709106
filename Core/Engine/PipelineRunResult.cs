namespace Pipeline.Core.Engine;

/// <summary>How a run ended.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Status"><c>completed</c>, <c>interrupted</c> (stopped on request after saving) or <c>failed</c>.</param>
/// <param name="Stages">Each stage that ran, by name, in order.</param>
public sealed record PipelineRunResult(string RunDirectory, string Status, IReadOnlyDictionary<string, StageResult> Stages);
