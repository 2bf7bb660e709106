namespace Pipeline.Core.Plugins;

/// <summary>The extension points a plugin can fill. Names in YAML and on the CLI are the lower-case forms.</summary>
public enum PluginKind
{
    /// <summary>Reads a dataset and yields cases (<see cref="IDatasetProvider"/>).</summary>
    Dataset,
    /// <summary>Builds a segmentation network (<see cref="IBackbone"/>).</summary>
    Backbone,
    /// <summary>Re-parameterizes large depthwise kernels during training (<see cref="IWeightPrior"/>).</summary>
    Prior,
    /// <summary>One step of a pipeline: train, validate, ... (<see cref="IStage"/>).</summary>
    Stage,
}
