using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Engine;
using Pipeline.Core.Inference;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>train</c> stage: AdamW on DiceCE over random patches sampled on the fly, with sliding-window validation,
/// <c>latest.ckpt</c> / <c>best.ckpt</c> checkpoints and <c>metrics.jsonl</c> records. Every step runs inside its own
/// dispose scope, so memory stays flat over any number of iterations. Cancellation is honoured between steps (and
/// between validation cases): the latest weights are saved and the result is marked interrupted.
/// <para>Reproducibility: <c>torch.manual_seed(seed)</c> is called once right before the network is created, so its
/// initialisation is fixed; the patch sampler draws from its own generator seeded with the run's seed.</para>
/// </summary>
[ExportStage("train", "1.0.0", "Trains the manifest's model with DiceCE on random patches; validates with sliding windows.")]
public sealed class TrainStage : IStage
{
    /// <summary>Artifact name of the checkpoint with the best validation mean Dice.</summary>
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
        // because TorchSharp's dispose scopes are per thread.
        return Task.Run(() => new TrainingRun(context, typed, cancellationToken).Run(), CancellationToken.None);
    }

    /// <summary>One training run: the state shared by the loop's steps.</summary>
    private sealed class TrainingRun(StageContext context, TrainOptions options, CancellationToken cancellationToken)
    {
        private readonly string _latestPath = Path.Combine(context.CheckpointDirectory, LatestCheckpointFile);
        private readonly string _bestPath = Path.Combine(context.CheckpointDirectory, BestCheckpointFile);
        private readonly Stopwatch _clock = new();
        private double _bestMeanDice = double.NaN;
        private bool _bestSaved;

        // Loss sums since the last metrics record.
        private int _windowSteps;
        private double _windowTotal, _windowDice, _windowCrossEntropy;
        private double _lastWindowMean = double.NaN;

        public StageResult Run()
        {
            _clock.Start();
            var dataset = context.Datasets.Get(options.Dataset);
            var trainIds = StageOptionChecks.RequireSplit(dataset, options.Dataset, options.TrainSplit, "train_split", context.StageName);
            var validationIds = options.ValidateEvery > 0
                ? StageOptionChecks.RequireSplit(dataset, options.Dataset, options.ValidationSplit, "validation_split", context.StageName)
                : null;

            torch.manual_seed(context.Seed);
            using var network = context.Models.Create();
            StageOptionChecks.RequireCompatible(network, dataset, options.Dataset, context.StageName);
            StageOptionChecks.RequireDivisible(network, options.PatchSize, "patch_size", context.StageName);
            StageOptionChecks.RequireDivisible(network, options.EffectiveRoiSize(), options.RoiSize is null ? "roi_size (= patch_size)" : "roi_size", context.StageName);
            network.train();

            using var optimizer = optim.AdamW(network.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
            var loss = new DiceCeLoss(options.IncludeBackground, batch: false, options.LambdaDice, options.LambdaCe);
            using var sampler = new PatchSampler(options.PatchSize, options.ForegroundRatio, context.Seed);
            using var trainCases = new CaseStore(dataset, trainIds, options.CacheCases);
            using var validationCases = validationIds is null ? null : new CaseStore(dataset, validationIds, options.CacheCases);
            var evaluator = new SegmentationEvaluator(
                new SlidingWindowInference(options.EffectiveRoiSize(), options.Overlap, options.SwBatchSize), context.Device);

            context.Logger.LogInformation(
                "Training {Iterations} iterations on {Cases} cases of {Dataset}/{Split} (batch {Batch}, patch [{Patch}], lr {Lr}).",
                options.Iterations, trainIds.Count, options.Dataset, options.TrainSplit, options.BatchSize,
                string.Join(", ", options.PatchSize), options.LearningRate);

            int completed = 0;
            bool interrupted = false;
            for (int iteration = 1; iteration <= options.Iterations; iteration++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                var (total, dice, crossEntropy) = Step(network, optimizer, loss, sampler, trainCases, iteration);
                completed = iteration;
                _windowSteps++;
                _windowTotal += total;
                _windowDice += dice;
                _windowCrossEntropy += crossEntropy;
                context.Progress.Report(new ProgressUpdate(context.StageName, iteration, options.Iterations,
                    new Dictionary<string, double> { ["loss"] = total }));

                bool last = iteration == options.Iterations;
                if (iteration % options.LogEvery == 0 || last)
                    WriteLossRecord(iteration);
                if (validationCases is not null && (iteration % options.ValidateEvery == 0 || last))
                {
                    if (!Validate(network, evaluator, validationCases, dataset.ClassNames, iteration))
                    {
                        interrupted = true;
                        break;
                    }
                }
                if (options.CheckpointEvery > 0 && iteration % options.CheckpointEvery == 0 && !last)
                    context.Models.Save(network, _latestPath);
            }
            if (interrupted && _windowSteps > 0)
                WriteLossRecord(completed);

            context.Models.Save(network, _latestPath);
            context.Progress.Complete(context.StageName);
            if (interrupted)
                context.Logger.LogWarning("Training interrupted after {Iterations} iterations; saved {Path}.", completed, _latestPath);
            return Result(completed, interrupted);
        }

        /// <summary>One optimizer step on a fresh batch; returns the loss terms as numbers.</summary>
        private (double Total, double Dice, double CrossEntropy) Step(SegmentationNetwork network, optim.Optimizer optimizer,
            DiceCeLoss loss, PatchSampler sampler, CaseStore trainCases, int iteration)
        {
            using var scope = NewDisposeScope();
            var batch = sampler.SampleBatch(trainCases, options.BatchSize);
            var images = batch.Images.to(context.Device);
            var labels = batch.Labels.to(context.Device);
            optimizer.zero_grad();
            var terms = loss.Compute(network.call(images), labels);
            terms.Total.backward();
            optimizer.step();
            double total = terms.Total.item<float>();
            if (!double.IsFinite(total))
                throw new InvalidOperationException(
                    $"Stage '{context.StageName}': the loss became {total} at iteration {iteration}; training diverged " +
                    $"(try a smaller learning_rate than {options.LearningRate}).");
            return (total, terms.Dice.item<float>(), terms.CrossEntropy.item<float>());
        }

        /// <summary>Writes the mean losses since the previous record and starts a new window.</summary>
        private void WriteLossRecord(int iteration)
        {
            _lastWindowMean = _windowTotal / _windowSteps;
            context.Metrics.Write(new Dictionary<string, object?>
            {
                ["stage"] = context.StageName,
                ["iteration"] = iteration,
                ["loss"] = _lastWindowMean,
                ["dice_loss"] = _windowDice / _windowSteps,
                ["ce_loss"] = _windowCrossEntropy / _windowSteps,
                // No schedule: the rate is constant (the paper's recipe has none either).
                ["lr"] = options.LearningRate,
                ["seconds"] = Math.Round(_clock.Elapsed.TotalSeconds, 3),
            });
            _windowSteps = 0;
            _windowTotal = _windowDice = _windowCrossEntropy = 0;
        }

        /// <summary>Scores the validation split and saves best.ckpt on improvement; false when cancelled meanwhile.</summary>
        private bool Validate(SegmentationNetwork network, SegmentationEvaluator evaluator, CaseStore validationCases,
                              IReadOnlyList<string> classNames, int iteration)
        {
            var result = evaluator.Evaluate(network, validationCases, classNames, cancellationToken);
            if (result is null) return false;
            context.Metrics.Write(new Dictionary<string, object?>
            {
                ["stage"] = context.StageName,
                ["iteration"] = iteration,
                ["validation_mean_dice"] = JsonNumber.OrNull(result.MeanDice),
                ["validation_dice"] = result.DiceByClass(),
            });
            bool improved = !double.IsNaN(result.MeanDice) && (double.IsNaN(_bestMeanDice) || result.MeanDice > _bestMeanDice);
            context.Logger.LogInformation("Iteration {Iteration}: validation mean Dice {Dice:F4}{Best}.", iteration, result.MeanDice,
                improved ? " (best so far, saved)" : "");
            if (improved)
            {
                _bestMeanDice = result.MeanDice;
                context.Models.Save(network, _bestPath);
                _bestSaved = true;
            }
            return true;
        }

        private StageResult Result(int completed, bool interrupted)
        {
            var result = new StageResult { Interrupted = interrupted };
            result.Artifacts[LatestModelArtifact] = _latestPath;
            if (_bestSaved)
                result.Artifacts[BestModelArtifact] = _bestPath;
            result.Summary["iterations"] = completed;
            result.Summary["final_loss"] = JsonNumber.OrNull(_lastWindowMean);
            result.Summary["best_validation_mean_dice"] = JsonNumber.OrNull(_bestMeanDice);
            result.Summary["seconds"] = Math.Round(_clock.Elapsed.TotalSeconds, 3);
            return result;
        }
    }
}
