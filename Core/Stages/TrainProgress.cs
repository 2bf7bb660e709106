using System.Text.Json;
using Pipeline.Core.Engine;

namespace Pipeline.Core.Stages;

/// <summary>
/// Where a train stage stood when it wrote a checkpoint; stored as the <c>training</c> field of the checkpoint's
/// header (<see cref="ModelDescription.Training"/>), so <c>pipeline checkpoint inspect</c> shows it. The binary part
/// of the state (optimizer moments, generator states) follows the weights in <c>latest.ckpt</c> (see
/// <see cref="TrainCheckpoint"/>).
/// </summary>
public sealed class TrainProgress
{
    /// <summary>The stage that wrote the checkpoint.</summary>
    public required string Stage { get; init; }

    /// <summary>Optimizer steps completed.</summary>
    public required int Iteration { get; init; }

    /// <summary>The stage's <c>iterations</c> when the checkpoint was written (the schedule's length).</summary>
    public required int Iterations { get; init; }

    /// <summary>The optimizer (adamw, adam or sgd).</summary>
    public required string Optimizer { get; init; }

    /// <summary>The learning rate of the last completed step (NaN before the first: null in JSON).</summary>
    public double? LearningRate { get; init; }

    /// <summary>True when the optimizer and generator states follow the weights (<c>latest.ckpt</c>), so training can resume.</summary>
    public bool Resumable { get; init; }

    /// <summary>True when the validation due at <see cref="Iteration"/> was cut short; a resumed run runs it first.</summary>
    public bool PendingValidation { get; init; }

    /// <summary>Training time so far, over all sessions of the run, in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Batches the patch sampler has drawn (its position; the generator state itself is binary).</summary>
    public long SamplerBatches { get; init; }

    /// <summary>Loss sums since the last loss record.</summary>
    public required TrainLossWindow LossWindow { get; init; }

    /// <summary>The mean loss of the last loss record (null before the first).</summary>
    public double? LastLoss { get; init; }

    /// <summary>The metric that selects <c>best.ckpt</c>.</summary>
    public required string BestMetric { get; init; }

    /// <summary>The best value of <see cref="BestMetric"/> so far (null before the first defined one).</summary>
    public double? BestValue { get; init; }

    /// <summary>The iteration of <see cref="BestValue"/>.</summary>
    public int? BestIteration { get; init; }

    /// <summary>Every validation so far, in order.</summary>
    public required IReadOnlyList<TrainValidation> Validations { get; init; }

    /// <summary>This progress as the JSON stored in a checkpoint header.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, ModelCheckpoint.OptionsJson);

    /// <summary>The progress stored in <paramref name="description"/>, or null when the checkpoint has none.</summary>
    /// <exception cref="InvalidDataException">The stored progress is not a train stage's.</exception>
    public static TrainProgress? From(ModelDescription description, string path)
    {
        if (description.Training is not { } json) return null;
        try
        {
            return json.Deserialize<TrainProgress>(ModelCheckpoint.OptionsJson)
                   ?? throw new InvalidDataException($"{path}: the checkpoint's training progress is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint's training progress is not a train stage's: {e.Message}", e);
        }
    }

    /// <summary>The progress stored in the checkpoint at <paramref name="path"/>, or null when it has none.</summary>
    public static TrainProgress? Read(string path) => From(ModelCheckpoint.ReadDescription(path), path);
}
