using Pipeline.Core.Data;

namespace Pipeline.Core.Plugins;

/// <summary>Opens a dataset from its typed options.</summary>
public interface IDatasetProvider : IConfigurablePlugin
{
    /// <summary>Opens (and validates) the dataset. Errors name the file or option at fault.</summary>
    ISegmentationDataset Open(object options, DatasetOpenContext context);
}
