using Pipeline.Core.Data;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// The <c>synthetic</c> dataset plugin: deterministic procedural 3-D phantoms (ellipsoids, tubes, shells inside a
/// body, with noise and bias field), generated in memory. It needs no download, so it backs the quickstart.
/// </summary>
[ExportDataset("synthetic", "1.0.0", "Procedural 3-D phantoms (ellipsoid, tube, shell) generated from a seed; no download.")]
public sealed class SyntheticDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(SyntheticDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        if (options is not SyntheticDatasetOptions typed)
            throw new ArgumentException(
                $"Dataset '{context.Name}': the synthetic provider expects {nameof(SyntheticDatasetOptions)}, got {options?.GetType().Name ?? "null"}.",
                nameof(options));
        try
        {
            return new SyntheticDataset(typed);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Dataset '{context.Name}': {e.Message}", nameof(options), e);
        }
    }
}
