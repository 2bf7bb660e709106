using Pipeline.Core.Data;

namespace Pipeline.Core.Engine;

/// <summary>The manifest's named datasets, opened on first use.</summary>
public interface IDatasetCatalog
{
    /// <summary>Names declared in the manifest.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The opened dataset <paramref name="name"/>; throws naming the valid names when unknown.</summary>
    ISegmentationDataset Get(string name);
}
