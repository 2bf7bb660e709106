using System.Text.Json;
using Pipeline.Core.Composition;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Engine;

/// <summary>
/// Builds the manifest's network (backbone plugin + weight prior plugin) and saves/restores self-describing
/// checkpoints (<see cref="ModelCheckpoint"/>), so a later stage or command rebuilds the network from the file alone.
/// </summary>
public sealed class ModelFactory : IModelFactory
{
    private readonly IPluginCatalog _catalog;
    private readonly object _backboneOptions;
    private readonly object _priorOptions;
    private readonly Device _device;

    /// <param name="catalog">Where the backbone and prior plugins come from.</param>
    /// <param name="backbone">Backbone plugin name.</param>
    /// <param name="backboneOptions">Bound backbone options.</param>
    /// <param name="prior">Prior plugin name (<c>none</c> for plain layers).</param>
    /// <param name="priorOptions">Bound prior options.</param>
    /// <param name="device">Where networks are placed.</param>
    public ModelFactory(IPluginCatalog catalog, string backbone, object backboneOptions, string prior, object priorOptions, Device device)
    {
        _catalog = catalog;
        BackboneName = backbone;
        PriorName = prior;
        _backboneOptions = backboneOptions;
        _priorOptions = priorOptions;
        _device = device;
    }

    /// <inheritdoc />
    public string BackboneName { get; }

    /// <inheritdoc />
    public string PriorName { get; }

    /// <inheritdoc />
    public SegmentationNetwork Create() => Build(BackboneName, _backboneOptions, PriorName, _priorOptions, priorFolded: false);

    /// <inheritdoc />
    public void Save(SegmentationNetwork network, string path) => ModelCheckpoint.Save(network, Describe(network), path);

    /// <inheritdoc />
    public ModelDescription Describe(SegmentationNetwork network) => new()
    {
        Backbone = BackboneName,
        BackboneOptions = JsonSerializer.SerializeToElement(_backboneOptions, _backboneOptions.GetType(), ModelCheckpoint.OptionsJson),
        Prior = PriorName,
        PriorOptions = JsonSerializer.SerializeToElement(_priorOptions, _priorOptions.GetType(), ModelCheckpoint.OptionsJson),
        PriorFolded = network.PriorFolded,
    };

    /// <inheritdoc />
    public SegmentationNetwork Load(string path) => LoadCheckpoint(_catalog, path, _device, out _);

    /// <inheritdoc />
    public void Fold(SegmentationNetwork network)
    {
        Prior(PriorName).Fold(network);
        network.PriorFolded = true;
    }

    /// <summary>The key of the class count in a backbone's options (every backbone of this project has it).</summary>
    public const string OutputClassesKey = "out_channels";

    /// <inheritdoc />
    /// <remarks>
    /// The options are copied through their JSON form with <see cref="OutputClassesKey"/> replaced, then checked by
    /// their own <see cref="IValidatableOptions.Validate"/>.
    /// </remarks>
    public IModelFactory WithOutputClasses(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var json = JsonSerializer.SerializeToNode(_backboneOptions, _backboneOptions.GetType(), ModelCheckpoint.OptionsJson)!.AsObject();
        if (!json.ContainsKey(OutputClassesKey))
            throw new InvalidOperationException(
                $"The options of backbone '{BackboneName}' have no '{OutputClassesKey}' key, so its class count cannot be changed.");
        json[OutputClassesKey] = classes;
        object options = json.Deserialize(_backboneOptions.GetType(), ModelCheckpoint.OptionsJson)!;
        if (options is IValidatableOptions validatable && validatable.Validate().ToList() is { Count: > 0 } problems)
            throw new InvalidOperationException(
                $"Backbone '{BackboneName}' with {OutputClassesKey} = {classes}: " + string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")));
        return new ModelFactory(_catalog, BackboneName, options, PriorName, _priorOptions, _device);
    }

    /// <summary>Rebuilds the network a checkpoint describes and loads its weights.</summary>
    public static SegmentationNetwork LoadCheckpoint(IPluginCatalog catalog, string path, Device device, out ModelDescription description)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model checkpoint not found: {path}", path);
        description = ModelCheckpoint.ReadDescription(path);
        var backbone = (IBackbone)catalog.Get(PluginKind.Backbone, description.Backbone);
        var prior = (IWeightPrior)catalog.Get(PluginKind.Prior, description.Prior);
        object backboneOptions = description.BackboneOptions.Deserialize(backbone.OptionsType, ModelCheckpoint.OptionsJson)!;
        object priorOptions = description.PriorOptions.Deserialize(prior.OptionsType, ModelCheckpoint.OptionsJson)!;
        var factory = new ModelFactory(catalog, description.Backbone, backboneOptions, description.Prior, priorOptions, device);
        SegmentationNetwork network = factory.Build(description.Backbone, backboneOptions, description.Prior, priorOptions, description.PriorFolded);
        ModelCheckpoint.LoadWeights(network, path);
        return network;
    }

    private SegmentationNetwork Build(string backboneName, object backboneOptions, string priorName, object priorOptions, bool priorFolded)
    {
        var backbone = (IBackbone)_catalog.Get(PluginKind.Backbone, backboneName);
        SegmentationNetwork network = backbone.Build(backboneOptions);
        if (!priorFolded) Prior(priorName).Apply(network, priorOptions);
        network.PriorFolded = priorFolded;
        network.to(_device);
        return network;
    }

    private IWeightPrior Prior(string name) => (IWeightPrior)_catalog.Get(PluginKind.Prior, name);
}
