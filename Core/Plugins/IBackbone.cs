using Pipeline.Core.Nn;

namespace Pipeline.Core.Plugins;

/// <summary>A segmentation network family. Builds a TorchSharp module from its typed options.</summary>
public interface IBackbone : IConfigurablePlugin
{
    /// <summary>Builds a freshly initialised network.</summary>
    /// <param name="options">An instance of <see cref="IConfigurablePlugin.OptionsType"/>, already validated.</param>
    SegmentationNetwork Build(object options);
}
