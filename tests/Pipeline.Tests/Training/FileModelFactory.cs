using System.Text.Json;
using Pipeline.Core.Engine;
using Pipeline.Core.Nn;

namespace Pipeline.Tests.Training;

/// <summary>
/// A stand-in for the engine's model factory: builds <see cref="TinySegmentationNetwork"/>s and saves them as
/// self-describing checkpoints (<see cref="ModelCheckpoint"/>) that name a backbone no catalog has; it loads them itself,
/// with the channel counts their descriptions give.
/// </summary>
internal sealed class FileModelFactory(int inChannels, int outChannels) : IModelFactory
{
    public string BackboneName => "tiny";

    public string PriorName => "none";

    public int FoldCalls { get; private set; }

    public SegmentationNetwork Create() => new TinySegmentationNetwork(inChannels, outChannels);

    public void Save(SegmentationNetwork network, string path) => ModelCheckpoint.Save(network, Describe(network), path);

    public ModelDescription Describe(SegmentationNetwork network) => new()
    {
        Backbone = BackboneName,
        BackboneOptions = JsonSerializer.SerializeToElement(new { in_channels = inChannels, out_channels = outChannels }),
        Prior = PriorName,
        PriorOptions = JsonSerializer.SerializeToElement(new { }),
        PriorFolded = network.PriorFolded,
    };

    /// <summary>Builds the network the checkpoint describes (its own channel counts, as the engine's factory does).</summary>
    public SegmentationNetwork Load(string path)
    {
        var options = ModelCheckpoint.ReadDescription(path).BackboneOptions;
        var network = new TinySegmentationNetwork(options.GetProperty("in_channels").GetInt32(), options.GetProperty("out_channels").GetInt32());
        ModelCheckpoint.LoadWeights(network, path);
        return network;
    }

    public void Fold(SegmentationNetwork network) => FoldCalls++;

    public IModelFactory WithOutputClasses(int classes) => new FileModelFactory(inChannels, classes);
}
