namespace Pipeline.Core.Manifest;

/// <summary>What a reference option names.</summary>
public enum ReferenceTarget
{
    /// <summary>A dataset declared in the manifest's <c>datasets</c> section (<c>[DatasetReference]</c>).</summary>
    Dataset,
    /// <summary>An earlier stage of the pipeline (<c>[StageReference]</c>).</summary>
    Stage,
}

/// <summary>A string option marked as a reference, found while binding, to be checked against the manifest.</summary>
/// <param name="Target">Dataset or stage.</param>
/// <param name="Name">The name the option gives.</param>
/// <param name="Location">The option's value, or the enclosing mapping when the value is a class default.</param>
/// <param name="Path">Key path of the option, e.g. <c>stages[1].options.model</c>.</param>
public sealed record OptionReference(ReferenceTarget Target, string Name, SourceLocation Location, string Path);

/// <summary>An options object filled from YAML, with the reference options found in it (nested ones included).</summary>
/// <param name="Value">Instance of the requested options type.</param>
/// <param name="References">Every non-empty dataset and stage reference, in key order.</param>
public sealed record BoundOptions(object Value, IReadOnlyList<OptionReference> References);
