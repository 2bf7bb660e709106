namespace Pipeline.Core.Manifest;

/// <summary>One named step of the pipeline, in run order.</summary>
public sealed class StageDefinition
{
    /// <summary>Unique name; also the stage's folder name and what <c>[StageReference]</c> options name.</summary>
    public required string Name { get; init; }

    /// <summary>The stage plugin and its options.</summary>
    public required PluginSection Section { get; init; }
}
