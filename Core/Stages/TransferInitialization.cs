using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Engine;
using Pipeline.Core.IO;
using Pipeline.Core.Nn;
using Pipeline.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>transfer</c> stage's additions to the train loop: the starting weights (every source tensor but the output
/// head) and the frozen encoder.
/// </summary>
/// <param name="context">The transfer stage's context (its own checkpoint folder and retargeted model).</param>
/// <param name="options">The stage's options.</param>
/// <param name="source">The weight file to start from (full path).</param>
/// <param name="sourceModels">Rebuilds a pipeline checkpoint's network from its description.</param>
internal sealed class TransferInitialization(StageContext context, TransferOptions options, string source, IModelFactory sourceModels)
    : ITrainRunHooks
{
    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true };

    private ParameterFreeze? _freeze;

    /// <inheritdoc />
    public void Initialize(SegmentationNetwork network)
    {
        // Rebuilding the source network draws its random initialisation from torch's generator; putting the generator
        // back keeps the fine-tuning run's random numbers (dropout, drop path) those of a run seeded the same way.
        using var generator = torch.get_rng_state();
        HeadReplacementPlan plan;
        string format;
        using (var scope = NewDisposeScope())
        {
            var (tensors, sourceFormat, sourceNetwork) = ReadSource();
            using (sourceNetwork)
            {
                format = sourceFormat;
                try
                {
                    plan = HeadReplacement.Plan(tensors, network.state_dict(), options.HeadPrefixes, network.OutChannels, source);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidOperationException($"Stage '{context.StageName}': {e.Message}", e);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidOperationException($"Stage '{context.StageName}': {e.Message}", e);
                }
                HeadReplacement.Apply(network, tensors, plan);
            }
        }
        torch.set_rng_state(generator);

        if (plan.Head.Count == 0)
            context.Logger.LogInformation(
                "Loaded all {Count} tensors of {Source}: the class count is unchanged, so the source's head is kept (set head_prefixes to replace it).",
                plan.LoadedKeys.Count, source);
        else
            context.Logger.LogInformation("Loaded {Count} tensors of {Source}; re-initialised head ({How}): {Head}.", plan.LoadedKeys.Count, source,
                plan.HeadFound, string.Join(", ", plan.Head.Select(h => $"{h.Key} {Shape(h.Shape)}" + (h.SourceShape is { } s ? $" (source {Shape(s)})" : ""))));
        if (options.FreezeEncoderIterations > 0) _freeze = Freeze(network);
        WriteRecord(plan, format);
    }

    /// <inheritdoc />
    public void BeforeStep(SegmentationNetwork network, int iteration)
    {
        if (options.FreezeEncoderIterations == 0) return;
        _freeze ??= Freeze(network);
        if (!_freeze.ApplyFor(iteration)) return;
        if (_freeze.IsFrozenAt(iteration))
            context.Logger.LogInformation("Iterations {First}..{Last}: {Tensors} parameter tensors ({Values:N0} values) under {Prefixes} are frozen.",
                iteration, _freeze.Iterations, _freeze.Tensors, _freeze.Elements, string.Join(", ", _freeze.Prefixes));
        else
            context.Logger.LogInformation("Iteration {Iteration}: the frozen parameters under {Prefixes} train from now on.",
                iteration, string.Join(", ", _freeze.Prefixes));
    }

    private ParameterFreeze Freeze(SegmentationNetwork network)
    {
        try
        {
            return new ParameterFreeze(network, options.FrozenPrefixes, options.FreezeEncoderIterations);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Stage '{context.StageName}': {e.Message}", e);
        }
    }

    /// <summary>
    /// The source's tensors by state_dict key, its format, and (for a pipeline checkpoint) the rebuilt network that
    /// owns them.
    /// </summary>
    private (IReadOnlyDictionary<string, Tensor> Tensors, string Format, SegmentationNetwork? Network) ReadSource()
    {
        var format = CheckpointFormatDetector.Detect(source);
        if (format != CheckpointFormat.PipelineCheckpoint)
        {
            var foreign = ForeignStateDict.Read(source);
            return (StateDictKeyMapping.Default.Apply(foreign.Tensors, source), foreign.Format.ToString(), null);
        }
        var description = ModelCheckpoint.ReadDescription(source);
        if (description.Backbone != context.Models.BackboneName)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': {source} holds a '{description.Backbone}' network but the manifest's model is " +
                $"'{context.Models.BackboneName}'; fine-tuning needs the same backbone.");
        if (description.PriorFolded && context.Models.PriorName != CheckpointConversion.ImportedPrior)
            context.Logger.LogWarning(
                "{Source} holds folded (deploy) weights, and the manifest's prior '{Prior}' re-parameterizes them again; the fine-tuning " +
                "starts from a network that differs from the source's deploy network (use prior: none to start from it exactly).",
                source, context.Models.PriorName);
        else if (!description.PriorFolded && description.Prior != context.Models.PriorName)
            context.Logger.LogWarning("{Source} was trained with prior '{SourcePrior}', the manifest's model uses '{Prior}'.",
                source, description.Prior, context.Models.PriorName);
        var network = sourceModels.Load(source);
        return (network.state_dict(), format.ToString(), network);
    }

    private void WriteRecord(HeadReplacementPlan plan, string format)
    {
        var record = new Dictionary<string, object?>
        {
            ["source_checkpoint"] = source,
            ["source_format"] = format,
            ["loaded_tensors"] = plan.LoadedKeys.Count,
            ["head_found_by"] = plan.Head.Count == 0 ? null : plan.HeadFound,
            ["head"] = plan.Head.Select(h => new Dictionary<string, object?> { ["key"] = h.Key, ["shape"] = h.Shape, ["source_shape"] = h.SourceShape }).ToList(),
            ["freeze_encoder_iterations"] = options.FreezeEncoderIterations,
            ["frozen_prefixes"] = _freeze?.Prefixes,
            ["frozen_tensors"] = _freeze?.Tensors,
            ["frozen_values"] = _freeze?.Elements,
        };
        AtomicFile.WriteAllText(Path.Combine(context.StageDirectory, TransferStage.TransferRecordFile), JsonSerializer.Serialize(record, RecordJson) + "\n");
    }

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
