using Pipeline.Core.Data;

namespace Pipeline.Core.Engine;

/// <summary>The manifest's named datasets, opened on first use.</summary>
public interface IDatasetCatalog
{
    /// <summary>Names declared in the manifest.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The opened dataset <paramref name="name"/>; throws naming the valid names when unknown.</summary>
    ISegmentationDataset Get(string name);

    /// <summary>
    /// The definition of dataset <paramref name="name"/> (its resolved manifest section and cache folder), which
    /// names its disk cache; null when this catalog cannot tell (then <c>cache: disk</c> is refused).
    /// </summary>
    DatasetDefinition? Definition(string name) => null;
}
