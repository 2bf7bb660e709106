using System.Text.Json;
using Pipeline.Core.Engine;
using Pipeline.Core.Nn;

namespace Pipeline.Tests.Training;

/// <summary>
/// A stand-in for the engine's model factory: builds <see cref="TinySegmentationNetwork"/>s and saves them as
/// self-describing checkpoints (<see cref="ModelCheckpoint"/>) that name a backbone no catalog has; it loads them itself.
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

    public SegmentationNetwork Load(string path)
    {
        var network = new TinySegmentationNetwork(inChannels, outChannels);
        ModelCheckpoint.LoadWeights(network, path);
        return network;
    }

    public void Fold(SegmentationNetwork network) => FoldCalls++;
}
