using Pipeline.Core.Data;
using Pipeline.Core.Engine;

namespace Pipeline.Core.Stages;

/// <summary>The run's datasets as one fold's training sees them: the split dataset replaced by its fold.</summary>
/// <param name="inner">The run's datasets.</param>
/// <param name="name">The dataset that is split.</param>
/// <param name="fold">Its fold.</param>
internal sealed class FoldDatasetCatalog(IDatasetCatalog inner, string name, FoldDataset fold) : IDatasetCatalog
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => inner.Names;

    /// <inheritdoc />
    public ISegmentationDataset Get(string datasetName) => datasetName == name ? fold : inner.Get(datasetName);
}
