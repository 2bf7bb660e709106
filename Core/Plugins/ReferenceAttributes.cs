namespace Pipeline.Core.Plugins;

/// <summary>Marks a string option that names a dataset declared in the manifest's <c>datasets</c> section.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DatasetReferenceAttribute : Attribute;

/// <summary>Marks a string option that names an earlier stage of the same pipeline.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StageReferenceAttribute : Attribute;
