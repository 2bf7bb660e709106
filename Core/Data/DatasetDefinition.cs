namespace Pipeline.Core.Data;

/// <summary>
/// What fixes a dataset's cases before any training option touches them: its manifest section as resolved YAML
/// (plugin, every option with its default filled in, the <c>preprocess</c> list), and the folder its caches go to.
/// Two runs whose definitions are equal load equal cases from equal source files.
/// </summary>
/// <param name="Name">The dataset's name in the manifest.</param>
/// <param name="Text">The resolved YAML of the dataset's section.</param>
/// <param name="CacheDirectory">The dataset's cache folder (shared with its plugin, which may keep files there too).</param>
public sealed record DatasetDefinition(string Name, string Text, string CacheDirectory);
