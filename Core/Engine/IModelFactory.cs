using Pipeline.Core.Nn;

namespace Pipeline.Core.Engine;

/// <summary>Builds, saves and restores the manifest's model (backbone plus weight prior).</summary>
public interface IModelFactory
{
    /// <summary>The backbone plugin name.</summary>
    string BackboneName { get; }

    /// <summary>The prior plugin name (<c>none</c> when there is no prior).</summary>
    string PriorName { get; }

    /// <summary>A freshly initialised network with the prior installed, on the run's device.</summary>
    SegmentationNetwork Create();

    /// <summary>Writes a self-describing checkpoint (weights + how to rebuild the network) atomically.</summary>
    void Save(SegmentationNetwork network, string path);

    /// <summary>
    /// How to rebuild <paramref name="network"/>: the header of its checkpoint, for writers that add training progress
    /// (see <see cref="ModelCheckpoint.Save"/>).
    /// </summary>
    ModelDescription Describe(SegmentationNetwork network);

    /// <summary>Rebuilds the network a checkpoint describes and loads its weights, on the run's device.</summary>
    SegmentationNetwork Load(string path);

    /// <summary>Folds the prior away (no-op for <c>none</c>), for inference.</summary>
    void Fold(SegmentationNetwork network);

    /// <summary>
    /// The same model (backbone, options, prior) predicting <paramref name="classes"/> classes instead: what
    /// fine-tuning on a dataset with another class count builds. Its checkpoints describe the new class count.
    /// </summary>
    /// <exception cref="InvalidOperationException">The backbone's options have no class count to change.</exception>
    IModelFactory WithOutputClasses(int classes);
}
