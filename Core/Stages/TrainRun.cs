using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;
using Pipeline.Core.Data.Cache;
using Pipeline.Core.Engine;
using Pipeline.Core.Nn;
using Pipeline.Core.Inference;
using Pipeline.Core.Training;
using Pipeline.Core.Training.Optimizers;
using Pipeline.Core.Training.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Core.Stages;

/// <summary>
/// One session of the train stage: builds the network, optimizer, schedule, loss and sampler; restores them from
/// <c>latest.ckpt</c> when resuming; then runs the optimizer steps that are left. Everything a later step depends on
/// (weights, optimizer moments, generator states, the loss window, the validation history) is in the checkpoint, so
/// a resumed session computes exactly what an uninterrupted one would have. <paramref name="hooks"/> lets a stage built
/// on this loop set the starting weights and change the network before each step (see <see cref="ITrainRunHooks"/>).
/// </summary>
internal sealed class TrainRun(StageContext context, TrainOptions options, CancellationToken cancellationToken,
                               ITrainRunHooks? hooks = null)
{
    private readonly string _latestPath = Path.Combine(context.CheckpointDirectory, TrainStage.LatestCheckpointFile);
    private readonly string _bestPath = Path.Combine(context.CheckpointDirectory, TrainStage.BestCheckpointFile);
    private readonly Stopwatch _clock = new();
    private readonly TrainLossWindow _window = new();
    private readonly List<TrainValidation> _validations = [];
    private readonly PatchAugmentation? _augmentation = context.Augment is { } augment ? new PatchAugmentation(augment) : null;
    private double _earlierSeconds;
    private double _lastWindowMean = double.NaN;
    private double _lastRate = double.NaN;
    private double _bestValue = double.NaN;
    private int? _bestIteration;
    // Time spent waiting for batches and time of whole steps: per loss-record window and over this session.
    private int _windowTimedSteps;
    private double _windowWaitSeconds;
    private double _windowStepSeconds;
    private int _timedSteps;
    private double _waitSeconds;
    private double _stepSeconds;

    public StageResult Run()
    {
        _clock.Start();
        var dataset = context.Datasets.Get(options.Dataset);
        var trainIds = StageOptionChecks.RequireSplit(dataset, options.Dataset, options.TrainSplit, "train_split", context.StageName);
        var validationIds = options.ValidateEvery > 0
            ? StageOptionChecks.RequireSplit(dataset, options.Dataset, options.ValidationSplit, "validation_split", context.StageName)
            : null;
        var bestMetric = TrainBestMetric.Parse(options.BestMetric, dataset.ClassNames, context.StageName);
        RequireOwnCheckpoint();

        torch.manual_seed(context.Seed);
        using var network = context.Models.Create();
        StageOptionChecks.RequireCompatible(network, dataset, options.Dataset, context.StageName);
        StageOptionChecks.RequireDivisible(network, options.PatchSize, "patch_size", context.StageName);
        StageOptionChecks.RequireDivisible(network, options.EffectiveRoiSize(), options.RoiSize is null ? "roi_size (= patch_size)" : "roi_size", context.StageName);
        // A restored run gets its weights from latest.ckpt; only a run that starts over is initialised.
        if (hooks is not null && !(context.Resume && File.Exists(_latestPath))) hooks.Initialize(network);
        network.train();

        using var optimizer = OptimizerFactory.Create(options.OptimizerSettings(), network.parameters());
        var schedule = options.LearningRateSchedule();
        var loss = new DiceCeLoss(options.IncludeBackground, options.BatchDice, options.LambdaDice, options.LambdaCe,
                                  options.SmoothNr, options.SmoothDr, options.SquaredPred);
        using var sampler = new PatchSampler(options.PatchSize, options.ForegroundRatio, context.Seed);
        var cache = options.EffectiveCache();
        var cases = CaseSource(dataset, validationIds is null ? trainIds : trainIds.Concat(validationIds), cache);
        using var trainCases = new CaseStore(cases, trainIds, cache == CaseCacheMode.Memory);
        using var validationCases = validationIds is null ? null : new CaseStore(cases, validationIds, cache == CaseCacheMode.Memory);
        var evaluator = new SegmentationEvaluator(
            new SlidingWindowInference(options.EffectiveRoiSize(), options.Overlap, options.SwBatchSize), context.Device);

        var (start, pendingValidation) = context.Resume ? Restore(network, optimizer, sampler) : (0, false);
        context.Logger.LogInformation(
            "Training iterations {First}..{Iterations} on {Cases} cases of {Dataset}/{Split} ({Optimizer}, {Schedule} schedule, batch {Batch} x {Accumulation}, patch [{Patch}], lr {Lr}, cache {Cache}, prefetch {Prefetch}).",
            start + 1, options.Iterations, trainIds.Count, options.Dataset, options.TrainSplit, options.Optimizer, options.Schedule,
            options.BatchSize, options.AccumulationSteps, string.Join(", ", options.PatchSize), options.LearningRate,
            Manifest.SnakeCase.From(cache.ToString()), options.Prefetch);
        // From here on the sampler and the training cases belong to the stream (its producer thread may use them).
        // Augmentation runs on the producer too; batch k of the stream is part k % A of iteration start + 1 + k / A.
        int parts = options.AccumulationSteps;
        using var batches = new PatchBatchStream(sampler, trainCases, options.BatchSize,
            (long)(options.Iterations - start) * parts, options.Prefetch,
            _augmentation is not { } augmentation ? null : (batch, index) =>
                augmentation.Apply(batch, context.Seed, start + 1 + (int)(index / parts), (int)(index % parts)));

        int completed = start;
        bool interrupted = false;
        if (pendingValidation && validationCases is not null)
        {
            // The validation due at the checkpoint's iteration was cut short: run it before any new step.
            pendingValidation = !Validate(network, evaluator, validationCases, dataset.ClassNames, bestMetric, start, batches);
            interrupted = pendingValidation;
        }
        for (int iteration = start + 1; iteration <= options.Iterations && !interrupted; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }
            _lastRate = schedule.RateAt(iteration);
            OptimizerFactory.SetLearningRate(optimizer, _lastRate);
            hooks?.BeforeStep(network, iteration);
            var (total, dice, crossEntropy, gradientNorm) = Step(network, optimizer, loss, batches, iteration);
            completed = iteration;
            _window.Add(total, dice, crossEntropy, gradientNorm);
            context.Progress.Report(new ProgressUpdate(context.StageName, iteration, options.Iterations,
                new Dictionary<string, double> { ["loss"] = total }));

            bool last = iteration == options.Iterations;
            if (iteration % options.LogEvery == 0 || last)
                WriteLossRecord(iteration, partial: false);
            if (validationCases is not null && (iteration % options.ValidateEvery == 0 || last) &&
                !Validate(network, evaluator, validationCases, dataset.ClassNames, bestMetric, iteration, batches))
            {
                interrupted = pendingValidation = true;
                break;
            }
            if (options.CheckpointEvery > 0 && iteration % options.CheckpointEvery == 0 && !last)
                SaveLatest(network, optimizer, batches, bestMetric, completed, pendingValidation: false);
        }

        // The checkpoint holds the loss window as it is; the partial record below is only for a person reading a
        // stopped run, and a resume removes it again.
        SaveLatest(network, optimizer, batches, bestMetric, completed, pendingValidation);
        if (interrupted && _window.Steps > 0)
            WriteLossRecord(completed, partial: true);
        context.Progress.Complete(context.StageName);
        if (interrupted)
            context.Logger.LogWarning("Training interrupted after {Iterations} iterations; saved {Path}.", completed, _latestPath);
        if (_timedSteps > 0)
            context.Logger.LogInformation(
                "Waited for training data {Share:P1} of the step time ({Wait:F1} ms of {Step:F1} ms per step; cache {Cache}, prefetch {Prefetch}).",
                _waitSeconds / _stepSeconds, 1000 * _waitSeconds / _timedSteps, 1000 * _stepSeconds / _timedSteps,
                Manifest.SnakeCase.From(cache.ToString()), options.Prefetch);
        return Result(completed, interrupted);
    }

    /// <summary>
    /// The dataset the case stores read from: the dataset itself, or for <c>cache: disk</c> its disk cache, filled
    /// now for <paramref name="caseIds"/> (stopping early when cancelled), with the memory estimate logged.
    /// </summary>
    private ISegmentationDataset CaseSource(ISegmentationDataset dataset, IEnumerable<string> caseIds, CaseCacheMode cache)
    {
        if (cache != CaseCacheMode.Disk) return dataset;
        var definition = context.Datasets.Definition(options.Dataset)
            ?? throw new InvalidOperationException(
                $"Stage '{context.StageName}': cache: disk needs the definition of dataset '{options.Dataset}' (to name its cache), " +
                "which this run's dataset catalog does not give; use cache: memory or none.");
        var cached = new DiskCachedDataset(dataset, definition, options.CacheImageDtype, context.Logger);
        var estimate = cached.Prepare(caseIds, cancellationToken);
        context.Logger.LogInformation("Dataset {Dataset}: {Estimate}.", options.Dataset, estimate);
        return cached;
    }

    /// <summary>Refuses to overwrite a checkpoint another stage of this run wrote (two train stages share the folder).</summary>
    private void RequireOwnCheckpoint()
    {
        if (!File.Exists(_latestPath)) return;
        string? owner = TrainProgress.Read(_latestPath)?.Stage;
        if (owner is not null && owner != context.StageName)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': {_latestPath} belongs to stage '{owner}' of this run. The train stages of one run " +
                "share the checkpoints folder, so a run can hold only one train stage.");
    }

    /// <summary>
    /// Restores the state of the last checkpoint (when there is one) and removes the stage's metrics records past it;
    /// returns the iteration to continue after and whether that iteration's validation is still due.
    /// </summary>
    private (int Start, bool PendingValidation) Restore(SegmentationNetwork network, OptimizerHelper optimizer, PatchSampler sampler)
    {
        if (!File.Exists(_latestPath))
        {
            context.Logger.LogInformation("No {File} to resume from: training starts over.", TrainStage.LatestCheckpointFile);
            context.Metrics.RemoveRecords(record => MetricsRecord.Stage(record) == context.StageName);
            return (0, false);
        }
        var progress = TrainCheckpoint.Restore(_latestPath, network, optimizer, sampler);
        if (progress.Iteration > options.Iterations)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': {_latestPath} is at iteration {progress.Iteration}, past iterations = {options.Iterations}; " +
                "raise iterations (pipeline run --resume RUN --extend N) to train further.");
        _window.Steps = progress.LossWindow.Steps;
        _window.Total = progress.LossWindow.Total;
        _window.Dice = progress.LossWindow.Dice;
        _window.CrossEntropy = progress.LossWindow.CrossEntropy;
        _window.GradientNorm = progress.LossWindow.GradientNorm;
        _validations.AddRange(progress.Validations);
        _bestValue = progress.BestValue ?? double.NaN;
        _bestIteration = progress.BestIteration;
        _lastWindowMean = progress.LastLoss ?? double.NaN;
        _lastRate = progress.LearningRate ?? double.NaN;
        _earlierSeconds = progress.Seconds;

        int start = progress.Iteration;
        // Everything past the checkpoint is redone, and so is the window of a partial loss record (a stopped run's
        // last record, written after the checkpoint).
        context.Metrics.RemoveRecords(record =>
            MetricsRecord.Stage(record) == context.StageName &&
            (MetricsRecord.Iteration(record) is not { } iteration || iteration > start ||
             (iteration == start && MetricsRecord.Has(record, "partial"))));
        context.Logger.LogInformation(
            "Resuming from {Path} at iteration {Iteration} of {Iterations} (best {Metric} {Best} at iteration {BestIteration}).",
            _latestPath, start, options.Iterations, progress.BestMetric, progress.BestValue, progress.BestIteration);
        return (start, progress.PendingValidation);
    }

    /// <summary>
    /// One optimizer step: <c>accumulation_steps</c> fresh batches whose gradients add up (each loss divided by the
    /// count), optional clipping, then the update; returns the mean loss terms and the gradient norm before clipping.
    /// </summary>
    private (double Total, double Dice, double CrossEntropy, double? GradientNorm) Step(SegmentationNetwork network,
        OptimizerHelper optimizer, DiceCeLoss loss, PatchBatchStream batches, int iteration)
    {
        long started = Stopwatch.GetTimestamp();
        double waited = 0;
        using var scope = NewDisposeScope();
        int parts = options.AccumulationSteps;
        double total = 0, dice = 0, crossEntropy = 0;
        optimizer.zero_grad();
        for (int part = 0; part < parts; part++)
        {
            // Each batch's graph is freed once its gradients are in the parameters.
            using var partScope = NewDisposeScope();
            using var sampled = batches.Next();
            waited += batches.LastWait.TotalSeconds;
            var images = sampled.Batch.Images.to(context.Device);
            var labels = sampled.Batch.Labels.to(context.Device);
            var terms = loss.Compute(network.call(images), labels);
            (parts == 1 ? terms.Total : terms.Total / parts).backward();
            total += terms.Total.item<float>();
            dice += terms.Dice.item<float>();
            crossEntropy += terms.CrossEntropy.item<float>();
        }
        total /= parts;
        if (!double.IsFinite(total))
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': the loss became {total} at iteration {iteration}; training diverged " +
                $"(try a smaller learning_rate than {options.LearningRate}).");
        double? gradientNorm = options.GradClipNorm > 0
            ? nn.utils.clip_grad_norm_(network.parameters(), options.GradClipNorm)
            : null;
        optimizer.step();
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        _windowTimedSteps++;
        _windowWaitSeconds += waited;
        _windowStepSeconds += seconds;
        _timedSteps++;
        _waitSeconds += waited;
        _stepSeconds += seconds;
        return (total, dice / parts, crossEntropy / parts, gradientNorm);
    }

    /// <summary>Writes the mean losses since the previous record and starts a new window.</summary>
    /// <param name="iteration">The last iteration of the window.</param>
    /// <param name="partial">True for the short window of a stopped run (marked <c>partial</c>; a resume removes it).</param>
    private void WriteLossRecord(int iteration, bool partial)
    {
        _lastWindowMean = _window.Total / _window.Steps;
        var record = new Dictionary<string, object?>
        {
            ["stage"] = context.StageName,
            ["iteration"] = iteration,
            ["loss"] = _lastWindowMean,
            ["dice_loss"] = _window.Dice / _window.Steps,
            ["ce_loss"] = _window.CrossEntropy / _window.Steps,
            ["lr"] = _lastRate,
            ["seconds"] = Math.Round(Seconds(), 3),
        };
        if (options.GradClipNorm > 0) record["grad_norm"] = _window.GradientNorm / _window.Steps;
        if (_windowTimedSteps > 0)
        {
            // Means over the window's steps of this session (a resumed window's earlier steps were not timed here).
            record["data_wait_ms"] = Math.Round(1000 * _windowWaitSeconds / _windowTimedSteps, 3);
            record["step_ms"] = Math.Round(1000 * _windowStepSeconds / _windowTimedSteps, 3);
        }
        if (partial) record["partial"] = true;
        context.Metrics.Write(record);
        _window.Reset();
        _windowTimedSteps = 0;
        _windowWaitSeconds = _windowStepSeconds = 0;
    }

    /// <summary>
    /// Scores the validation split, records it and saves <c>best.ckpt</c> when the best metric improved; false when
    /// cancelled meanwhile (nothing is recorded then).
    /// </summary>
    private bool Validate(SegmentationNetwork network, SegmentationEvaluator evaluator, CaseStore validationCases,
                          IReadOnlyList<string> classNames, TrainBestMetric bestMetric, int iteration, PatchBatchStream batches)
    {
        var result = evaluator.Evaluate(network, validationCases, classNames, cancellationToken);
        if (result is null) return false;
        double metric = bestMetric.Of(result);
        context.Metrics.Write(new Dictionary<string, object?>
        {
            ["stage"] = context.StageName,
            ["iteration"] = iteration,
            ["validation_mean_dice"] = JsonNumber.OrNull(result.MeanDice),
            ["validation_dice"] = result.DiceByClass(),
        });
        _validations.Add(new TrainValidation(iteration, JsonNumber.OrNull(metric), JsonNumber.OrNull(result.MeanDice),
            result.ClassNames.Select((name, k) => (name, value: JsonNumber.OrNull(result.MeanDicePerClass[k])))
                  .ToDictionary(pair => pair.name, pair => pair.value)));
        bool improved = !double.IsNaN(metric) && (double.IsNaN(_bestValue) || metric > _bestValue);
        context.Logger.LogInformation("Iteration {Iteration}: validation mean Dice {Dice:F4}, {Metric} {Value:F4}{Best}.", iteration,
            result.MeanDice, bestMetric.Name, metric, improved ? " (best so far, saved)" : "");
        if (improved)
        {
            _bestValue = metric;
            _bestIteration = iteration;
            TrainCheckpoint.Save(context.Models, network,
                                 Progress(bestMetric, iteration, batches.ConsumedState, pendingValidation: false, resumable: false),
                                 _bestPath, resume: null);
        }
        return true;
    }

    /// <summary>Saves <c>latest.ckpt</c> with the sampler state after the last batch used (not the producer's).</summary>
    private void SaveLatest(SegmentationNetwork network, OptimizerHelper optimizer, PatchBatchStream batches,
                            TrainBestMetric bestMetric, int iteration, bool pendingValidation) =>
        TrainCheckpoint.SaveResumable(context.Models, network,
            Progress(bestMetric, iteration, batches.ConsumedState, pendingValidation, resumable: true),
            _latestPath, optimizer, batches.ConsumedState);

    private TrainProgress Progress(TrainBestMetric bestMetric, int iteration, PatchSamplerState samplerState, bool pendingValidation,
                                   bool resumable) => new()
    {
        Stage = context.StageName,
        Iteration = iteration,
        Iterations = options.Iterations,
        Optimizer = Manifest.SnakeCase.From(options.Optimizer.ToString()),
        LearningRate = JsonNumber.OrNull(_lastRate),
        Resumable = resumable,
        PendingValidation = pendingValidation,
        Seconds = Math.Round(Seconds(), 3),
        SamplerBatches = samplerState.BatchesDrawn,
        LossWindow = _window.Copy(),
        LastLoss = JsonNumber.OrNull(_lastWindowMean),
        BestMetric = bestMetric.Name,
        BestValue = JsonNumber.OrNull(_bestValue),
        BestIteration = _bestIteration,
        Validations = _validations.ToList(),
    };

    /// <summary>Training time over all sessions of the run.</summary>
    private double Seconds() => _earlierSeconds + _clock.Elapsed.TotalSeconds;

    private StageResult Result(int completed, bool interrupted)
    {
        var result = new StageResult { Interrupted = interrupted };
        result.Artifacts[TrainStage.LatestModelArtifact] = _latestPath;
        if (_bestIteration is not null && File.Exists(_bestPath))
            result.Artifacts[TrainStage.BestModelArtifact] = _bestPath;
        result.Summary["iterations"] = completed;
        result.Summary["final_loss"] = JsonNumber.OrNull(_lastWindowMean);
        result.Summary["best_validation_mean_dice"] = JsonNumber.OrNull(BestMeanDice());
        result.Summary["best_metric"] = options.BestMetric;
        result.Summary["best_metric_value"] = JsonNumber.OrNull(_bestValue);
        result.Summary["best_iteration"] = _bestIteration;
        result.Summary["seconds"] = Math.Round(Seconds(), 3);
        result.Summary["data_wait_share"] = _timedSteps > 0 ? Math.Round(_waitSeconds / _stepSeconds, 4) : null;
        result.Summary["data_wait_ms_per_step"] = _timedSteps > 0 ? Math.Round(1000 * _waitSeconds / _timedSteps, 3) : null;
        result.Summary["step_ms_per_step"] = _timedSteps > 0 ? Math.Round(1000 * _stepSeconds / _timedSteps, 3) : null;
        return result;
    }

    /// <summary>The mean Dice of the validation that selected best.ckpt (NaN when none did).</summary>
    private double BestMeanDice() =>
        _validations.LastOrDefault(v => v.Iteration == _bestIteration)?.MeanDice ?? double.NaN;
}
