using Pipeline.Core.Engine;
using Pipeline.Core.Nn;
using Pipeline.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using System.Runtime.InteropServices;

namespace Pipeline.Core.Stages;

/// <summary>
/// Writes and reads the train stage's checkpoints. Both are model checkpoints (<see cref="ModelCheckpoint"/>) whose
/// header carries a <see cref="TrainProgress"/>; <c>latest.ckpt</c> also carries, after the weights, the binary state
/// an exact resume needs:
/// <list type="number">
/// <item>the patch sampler's generator state (int32 length, bytes);</item>
/// <item>torch's default CPU generator state, which dropout and drop-path draw from (int32 length, bytes);</item>
/// <item>the optimizer state as TorchSharp's <c>OptimizerHelper.save_state_dict</c> writes it (type name, group
/// options including the rate, per-parameter step and moments or momentum buffer).</item>
/// </list>
/// Everything is in one file written atomically, so weights and state always belong to the same iteration.
/// </summary>
internal static class TrainCheckpoint
{
    /// <summary>Generator states are a few kilobytes; anything far larger is a corrupt length.</summary>
    private const int MaxGeneratorStateBytes = 1 << 20;

    /// <summary>Writes <paramref name="network"/> with <paramref name="progress"/> to <paramref name="path"/>.</summary>
    /// <param name="models">Describes the network (how to rebuild it).</param>
    /// <param name="network">The network.</param>
    /// <param name="progress">Where training stands.</param>
    /// <param name="path">The checkpoint file (replaced atomically).</param>
    /// <param name="resume">The optimizer and sampler whose state follows the weights; null for a weights-only checkpoint (best.ckpt).</param>
    public static void Save(IModelFactory models, SegmentationNetwork network, TrainProgress progress, string path,
                            (OptimizerHelper Optimizer, PatchSampler Sampler)? resume) =>
        Write(models, network, progress, path, resume is { } state ? (state.Optimizer, state.Sampler.CaptureState()) : null);

    /// <summary>
    /// Writes a resumable checkpoint with the given sampler state, e.g. the state after the last batch used while a
    /// producer has drawn further (<see cref="PatchBatchStream.ConsumedState"/>).
    /// </summary>
    /// <param name="models">Describes the network (how to rebuild it).</param>
    /// <param name="network">The network.</param>
    /// <param name="progress">Where training stands.</param>
    /// <param name="path">The checkpoint file (replaced atomically).</param>
    /// <param name="optimizer">The optimizer whose state follows the weights.</param>
    /// <param name="samplerState">The sampler state saved after the weights.</param>
    public static void SaveResumable(IModelFactory models, SegmentationNetwork network, TrainProgress progress, string path,
                                     OptimizerHelper optimizer, PatchSamplerState samplerState) =>
        Write(models, network, progress, path, (optimizer, samplerState));

    private static void Write(IModelFactory models, SegmentationNetwork network, TrainProgress progress, string path,
                              (OptimizerHelper Optimizer, PatchSamplerState SamplerState)? resume)
    {
        var description = models.Describe(network) with { Training = progress.ToJson() };
        Action<BinaryWriter>? writeState = resume is not { } state ? null : writer =>
        {
            WriteBytes(writer, state.SamplerState.GeneratorState);
            using (var rng = torch.get_rng_state())
                WriteBytes(writer, rng.data<byte>().ToArray());
            state.Optimizer.save_state_dict(writer);
        };
        ModelCheckpoint.Save(network, description, path, writeState);
    }

    /// <summary>
    /// Restores <paramref name="network"/>, <paramref name="optimizer"/>, <paramref name="sampler"/> and torch's
    /// default generator from the resumable checkpoint at <paramref name="path"/>; returns its progress.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a resumable train checkpoint that fits these objects.</exception>
    public static TrainProgress Restore(string path, SegmentationNetwork network, OptimizerHelper optimizer, PatchSampler sampler)
    {
        TrainProgress? progress = null;
        byte[] samplerState = [], globalState = [];
        ModelCheckpoint.LoadWithTrainingState(network, path, (description, reader) =>
        {
            progress = TrainProgress.From(description, path)
                       ?? throw new InvalidDataException($"{path}: the checkpoint has no training progress in its header.");
            if (!progress.Resumable)
                throw new InvalidDataException($"{path}: the checkpoint is not marked resumable.");
            samplerState = ReadBytes(reader, path, "patch-sampler generator state");
            globalState = ReadBytes(reader, path, "torch generator state");
            try
            {
                optimizer.load_state_dict(reader);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or InvalidOperationException)
            {
                throw new InvalidDataException(
                    $"{path}: the saved optimizer state does not fit this run's optimizer ({optimizer.GetType().Name}): {e.Message}", e);
            }
        });
        try
        {
            sampler.RestoreState(new PatchSamplerState(samplerState, progress!.SamplerBatches));
            using var global = torch.tensor(globalState);
            torch.set_rng_state(global);
        }
        catch (Exception e) when (e is ArgumentException or ExternalException)
        {
            throw new InvalidDataException($"{path}: the saved generator states do not fit this build of torch: {e.Message}", e);
        }
        return progress;
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader, string path, string what)
    {
        int length = reader.ReadInt32();
        if (length <= 0 || length > MaxGeneratorStateBytes)
            throw new InvalidDataException($"{path}: corrupt training state ({what} of {length} bytes).");
        byte[] bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new InvalidDataException($"{path}: truncated training state ({what}).");
        return bytes;
    }
}
