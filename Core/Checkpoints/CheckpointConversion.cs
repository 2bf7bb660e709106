using System.Text.Json;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using static TorchSharp.torch;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Moves weights between this framework's <c>.ckpt</c> files and foreign state_dicts: imports a PyTorch or
/// safetensors state_dict into a backbone, folds a checkpoint's weight prior, and exports the deploy weights under the
/// original model's key names.
/// </summary>
public static class CheckpointConversion
{
    /// <summary>The prior an imported checkpoint records: foreign weights are plain deploy weights.</summary>
    public const string ImportedPrior = "none";

    /// <summary>
    /// Builds <paramref name="backboneName"/> with <paramref name="backboneOptions"/>, renames the keys of
    /// <paramref name="source"/> with <paramref name="mapping"/>, loads them strictly (every key present, none extra,
    /// every shape equal) and returns the network (eval mode) and the description to save it under.
    /// </summary>
    /// <exception cref="InvalidDataException">The state_dict does not fit the backbone; the message lists every problem.</exception>
    public static (SegmentationNetwork Network, ModelDescription Description) Import(
        IPluginCatalog catalog, string backboneName, object backboneOptions, ForeignStateDict source, StateDictKeyMapping mapping)
    {
        var backbone = (IBackbone)catalog.Get(PluginKind.Backbone, backboneName);
        var prior = (IWeightPrior)catalog.Get(PluginKind.Prior, ImportedPrior);
        var network = backbone.Build(backboneOptions);
        try
        {
            StateDictLoader.LoadStrict(network, mapping.Apply(source.Tensors, source.Path), source.Path);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        network.PriorFolded = true;
        network.eval();
        var description = new ModelDescription
        {
            Backbone = backboneName,
            BackboneOptions = JsonSerializer.SerializeToElement(backboneOptions, backboneOptions.GetType(), ModelCheckpoint.OptionsJson),
            Prior = ImportedPrior,
            PriorOptions = JsonSerializer.SerializeToElement(Activator.CreateInstance(prior.OptionsType), prior.OptionsType, ModelCheckpoint.OptionsJson),
            PriorFolded = true,
        };
        return (network, description);
    }

    /// <summary>
    /// Loads the <c>.ckpt</c> at <paramref name="path"/> on the CPU and, when its prior is not folded yet, folds it, so
    /// the network holds plain deploy weights under the original model's keys. Returns the network (eval mode) and
    /// the description of the folded checkpoint.
    /// </summary>
    public static (SegmentationNetwork Network, ModelDescription Description) LoadFolded(IPluginCatalog catalog, string path)
    {
        var network = ModelFactory.LoadCheckpoint(catalog, path, CPU, out var description);
        if (!description.PriorFolded)
        {
            ((IWeightPrior)catalog.Get(PluginKind.Prior, description.Prior)).Fold(network);
            network.PriorFolded = true;
            description = new ModelDescription
            {
                Backbone = description.Backbone,
                BackboneOptions = description.BackboneOptions,
                Prior = description.Prior,
                PriorOptions = description.PriorOptions,
                PriorFolded = true,
            };
        }
        network.eval();
        return (network, description);
    }

    /// <summary>Writes the state_dict of <paramref name="network"/> to <paramref name="path"/> in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a foreign format.</exception>
    public static void Export(nn.Module network, CheckpointFormat format, string path)
    {
        var stateDict = network.state_dict();
        switch (format)
        {
            case CheckpointFormat.TorchStateDict: PyTorchStateDictWriter.Write(stateDict, path); break;
            case CheckpointFormat.Safetensors: SafetensorsFile.Write(stateDict, path); break;
            default: throw new ArgumentException($"Cannot export to {format}; expected {CheckpointFormat.TorchStateDict} or {CheckpointFormat.Safetensors}.", nameof(format));
        }
    }
}
