using Pipeline.Core.Engine;
using Pipeline.Core.Nn;

namespace Pipeline.Tests.Training;

/// <summary>
/// A stand-in for the engine's model factory: builds <see cref="TinySegmentationNetwork"/>s and saves them in
/// TorchSharp's own format (temp file, then rename, like the real factory's atomic save).
/// </summary>
internal sealed class FileModelFactory(int inChannels, int outChannels) : IModelFactory
{
    public string BackboneName => "tiny";

    public string PriorName => "none";

    public List<string> SavedPaths { get; } = [];

    public int FoldCalls { get; private set; }

    public SegmentationNetwork Create() => new TinySegmentationNetwork(inChannels, outChannels);

    public void Save(SegmentationNetwork network, string path)
    {
        string temporary = path + ".tmp";
        network.save(temporary);
        File.Move(temporary, path, overwrite: true);
        SavedPaths.Add(path);
    }

    public SegmentationNetwork Load(string path)
    {
        var network = new TinySegmentationNetwork(inChannels, outChannels);
        network.load(path);
        return network;
    }

    public void Fold(SegmentationNetwork network) => FoldCalls++;
}
