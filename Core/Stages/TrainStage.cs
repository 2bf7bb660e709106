using Pipeline.Core.Engine;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>train</c> stage: DiceCE (MONAI semantics) on random patches sampled on the fly, optimized with AdamW, Adam or
/// SGD under a constant, warmup-cosine or poly learning-rate schedule, with optional gradient clipping and gradient
/// accumulation; sliding-window validation; <c>latest.ckpt</c> / <c>best.ckpt</c> checkpoints and
/// <c>metrics.jsonl</c> records. Every step runs inside its own dispose scope, so memory stays flat over any number of
/// iterations. Cancellation is honoured between steps (and between validation cases): the latest state is saved and
/// the result is marked interrupted.
/// <para>Reproducibility: <c>torch.manual_seed(seed)</c> is called once right before the network is created, so its
/// initialisation is fixed; the patch sampler draws from its own generator seeded with the run's seed. On CPU two runs
/// with the same seed give bit-identical loss curves.</para>
/// <para>Resuming (<see cref="IResumableStage"/>): <c>latest.ckpt</c> holds the weights, the optimizer state, the
/// sampler's and torch's generator states, the loss window and the validation history, written atomically every
/// <c>checkpoint_every</c> iterations and at the end; a resumed stage continues after its iteration with exactly the
/// same computation, so a killed and resumed run has the loss curve of an uninterrupted one (see docs/training.md).</para>
/// </summary>
[ExportStage("train", "1.1.0", "Trains the manifest's model with DiceCE on random patches; validates with sliding windows; resumable.")]
public sealed class TrainStage : IResumableStage
{
    /// <summary>Artifact name of the checkpoint with the best validation metric (<c>best_metric</c>).</summary>
    public const string BestModelArtifact = "best_model";

    /// <summary>Artifact name of the checkpoint of the last completed iteration.</summary>
    public const string LatestModelArtifact = "latest_model";

    /// <summary>File name of the latest checkpoint inside the run's checkpoint folder.</summary>
    public const string LatestCheckpointFile = "latest.ckpt";

    /// <summary>File name of the best checkpoint inside the run's checkpoint folder.</summary>
    public const string BestCheckpointFile = "best.ckpt";

    /// <inheritdoc />
    public Type OptionsType => typeof(TrainOptions);

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken)
    {
        var typed = StageOptionChecks.Require<TrainOptions>(options, context.StageName);
        // Training is long, synchronous CPU work: run it off the caller's thread. The whole loop stays on one thread
        // because TorchSharp's dispose scopes are per thread; only batch drawing may run on the prefetch thread
        // (PatchBatchStream), which hands over tensors detached from its scopes.
        return Task.Run(() => new TrainRun(context, typed, cancellationToken).Run(), CancellationToken.None);
    }
}
