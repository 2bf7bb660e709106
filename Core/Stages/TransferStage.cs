using System.Text.Json;
using Pipeline.Core.Engine;
using Pipeline.Core.Plugins;
using Pipeline.Core.Training;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>transfer</c> stage: fine-tunes a trained model on a dataset with other classes, the paper's FLARE → AMOS
/// setting (<c>main_finetune.py</c>: build the model, load the FLARE weights, replace the output block for the 16 AMOS
/// classes, train all parameters with AdamW lr 1e-4). It is the <c>train</c> stage's loop (same options, metrics,
/// validation, resuming) with three changes:
/// <list type="number">
/// <item>the network is the manifest's model with as many output classes as the dataset has;</item>
/// <item>before the first step it takes every tensor of the source checkpoint except the output head, which keeps its
/// fresh initialisation (<see cref="Checkpoints.HeadReplacement"/>), and records what it did in
/// <c>STAGE/transfer.json</c>;</item>
/// <item>with <c>freeze_encoder_iterations: N</c>, the encoder's parameters are frozen for iterations 1..N
/// (<see cref="ParameterFreeze"/>).</item>
/// </list>
/// Its checkpoints live in <c>checkpoints/STAGE/</c> (<c>latest.ckpt</c>, <c>best.ckpt</c>), so a run may hold a
/// <c>train</c> stage and the <c>transfer</c> stage that fine-tunes its result; later stages use them through the
/// artifacts <c>best_model</c> and <c>latest_model</c> like a train stage's. A resumed transfer stage continues from its
/// own <c>latest.ckpt</c> and does not read the source again.
/// </summary>
[ExportStage("transfer", "1.0.0", "Fine-tunes a trained checkpoint on a dataset with other classes: new output head, optional frozen encoder; resumable.")]
public sealed class TransferStage : IResumableStage
{
    /// <summary>The stage-folder file that records where the weights came from and which tensors were replaced.</summary>
    public const string TransferRecordFile = "transfer.json";

    /// <inheritdoc />
    public Type OptionsType => typeof(TransferOptions);

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken)
    {
        var typed = StageOptionChecks.Require<TransferOptions>(options, context.StageName);
        return Task.Run(() => Run(context, typed, cancellationToken), CancellationToken.None);
    }

    private static StageResult Run(StageContext context, TransferOptions options, CancellationToken cancellationToken)
    {
        var dataset = context.Datasets.Get(options.Dataset);
        IModelFactory models;
        try
        {
            models = context.Models.WithOutputClasses(dataset.ClassNames.Count);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Stage '{context.StageName}': {e.Message}", e);
        }
        string source = options.SourceCheckpoint is { Length: > 0 } file
            ? Path.GetFullPath(file)
            : StageCheckpoints.Path(context, options.SourceStage!, options.Checkpoint);
        var own = DerivedStageContext.With(context,
            checkpointDirectory: Directory.CreateDirectory(Path.Combine(context.CheckpointDirectory, context.StageName)).FullName,
            models: models);
        var hooks = new TransferInitialization(own, options, source, context.Models);
        var result = new TrainRun(own, options, cancellationToken, hooks).Run();

        string record = Path.Combine(context.StageDirectory, TransferRecordFile);
        if (File.Exists(record))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(record));
            var root = document.RootElement;
            result.Summary["source_checkpoint"] = root.GetProperty("source_checkpoint").GetString();
            result.Summary["loaded_tensors"] = root.GetProperty("loaded_tensors").GetInt32();
            result.Summary["replaced_head"] = root.GetProperty("head").EnumerateArray().Select(h => h.GetProperty("key").GetString()).ToList();
            result.Artifacts["transfer_record"] = record;
        }
        result.Summary["freeze_encoder_iterations"] = options.FreezeEncoderIterations;
        return result;
    }
}
